import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import { JournalFormatError, JournalWriteError } from "./errors.js";
import { JOURNAL_FORMAT, parseHeader, parseRecord, type JournalRecord } from "./journal-format.js";

/** A record read from the journal, with the line it is on (the header is line 1). */
export interface ReadRecord {
  readonly line: number;
  readonly record: JournalRecord;
}

/** The bytes after the last whole record: a line cut short by a crash, or one being written. */
export interface TornTail {
  readonly bytes: number;
  /** Why the last line is no record: "it has no newline" or the parse error. */
  readonly reason: string;
}

/** What one read of the journal found. */
export interface JournalRead {
  readonly records: readonly ReadRecord[];
  /** Set when the file ends in a line that is no whole record; nothing after it was read. */
  readonly torn: TornTail | null;
}

const NEWLINE = 0x0a;

/**
 * The journal file itself: reads the records appended since the last read (from a byte offset),
 * appends lines, cuts a torn tail. Knows the line format but not what records mean, and nothing
 * of locking: the storage calls it under the lock when it writes.
 */
export class JournalFile {
  /** The byte offset just past the last whole line read. */
  private offset = 0;
  /** How many lines have been read (the header is line 1). */
  private lines = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /** Opens (for writing: creating when missing) the journal at `path`. */
  static open(path: string, options: { readOnly: boolean }): JournalFile {
    let fd: number;
    try {
      // O_APPEND: every write lands at the end, whatever the offset this process last read.
      fd = openSync(path, options.readOnly ? "r" : "a+");
    } catch (error) {
      throw new JournalWriteError(
        `Cannot open the journal file ${path} ${options.readOnly ? "to read it" : "to read and append to it"}: ${(error as Error).message}.`,
        { cause: error },
      );
    }
    return new JournalFile(path, fd);
  }

  /** True until the first line (the header) has been read or written. */
  get isEmpty(): boolean {
    return this.lines === 0;
  }

  /** Lines read or written so far. */
  get lineCount(): number {
    return this.lines;
  }

  /** The file's size now; more than the offset read when another process appended since. */
  size(): number {
    return fstatSync(this.fd).size;
  }

  /** True when nothing was appended (and no torn tail is left) since the last read or write. */
  isCurrent(): boolean {
    return this.size() === this.offset;
  }

  /**
   * Reads the lines appended since the last read. A line that is not a record is an error naming
   * its line number, unless it is the file's last line: that one (or a last line with no newline)
   * is reported as the torn tail and not read, so that a crash mid-write loses one record only.
   */
  readNew(): JournalRead {
    const size = this.size();
    if (size < this.offset) {
      throw new JournalFormatError(
        `The journal ${this.path} shrank from ${this.offset} to ${size} bytes while open: another program truncated or replaced it.`,
      );
    }
    if (size === this.offset) return { records: [], torn: null };
    const buffer = Buffer.allocUnsafe(size - this.offset);
    let got = 0;
    while (got < buffer.length) {
      const n = readSync(this.fd, buffer, got, buffer.length - got, this.offset + got);
      if (n === 0) break;
      got += n;
    }
    const records: ReadRecord[] = [];
    let start = 0;
    for (;;) {
      const end = buffer.indexOf(NEWLINE, start);
      if (end === -1 || end >= got) break;
      const text = buffer.toString("utf8", start, end);
      const line = this.lines + 1;
      const isLast = end + 1 === got;
      if (line === 1) {
        const header = parseHeader(text);
        if (!header.ok) {
          if (isLast) return { records, torn: { bytes: got - start, reason: header.reason } };
          throw new JournalFormatError(
            `${this.path} line 1 is not a ${JOURNAL_FORMAT} header (${header.reason}): is it a Shoal journal? ` +
              "Give --storage a new file or one that shoal wrote.",
          );
        }
      } else {
        const parsed = parseRecord(text);
        if (!parsed.ok) {
          if (isLast) return { records, torn: { bytes: got - start, reason: parsed.reason } };
          throw new JournalFormatError(
            `${this.path} line ${line} is not a journal record (${parsed.reason}); the lines after it are whole, so this is ` +
              "no torn write: the file was edited or damaged. Restore it from a copy, or cut the file before that line.",
          );
        }
        records.push({ line, record: parsed.value });
      }
      this.lines = line;
      this.offset += end + 1 - start;
      start = end + 1;
    }
    const rest = got - start;
    return { records, torn: rest > 0 ? { bytes: rest, reason: "it has no newline at its end" } : null };
  }

  /** Cuts the file back to its last whole line (under the lock: a torn tail left by a dead writer). */
  truncateTail(): void {
    ftruncateSync(this.fd, this.offset);
  }

  /**
   * Appends whole lines (each ending in a newline) in one write, then, with `fsync`, waits until
   * they are on disk. The caller has read everything before (isCurrent), so the offset follows.
   */
  append(text: string, lineCount: number, fsync: boolean): void {
    const bytes = Buffer.from(text, "utf8");
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    if (fsync) fdatasyncSync(this.fd);
    this.offset += bytes.length;
    this.lines += lineCount;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
