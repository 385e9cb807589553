import { randomBytes } from "node:crypto";
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import type { Logger } from "@shoal/core";
import { JournalLockError } from "./errors.js";
import { HOST, isProcessAlive, sleepSync } from "./process-owner.js";

/** What a lock file holds: who took it and when. */
export interface LockHolder {
  readonly host: string;
  readonly pid: number;
  /** When it was taken, ms since 1970. */
  readonly at: number;
  /** Tells this taking of the lock from any other, so that a holder releases only its own. */
  readonly token: string;
}

/** Options of FileLock. */
export interface FileLockOptions {
  /** Give up (JournalLockError naming the holder) after waiting this long. @default 15000 */
  timeoutMs?: number;
  /**
   * A lock held longer than this is stale and broken, whoever holds it: the bound for a holder on
   * another machine, whose pid cannot be checked. A holder keeps the lock for one record's write
   * (milliseconds), so only a dead or frozen process keeps it this long. @default 10000
   */
  staleMs?: number;
  logger: Logger;
}

/** A lock file with no holder written yet is younger than this unless its taker died before writing. */
const UNWRITTEN_STALE_MS = 2000;

/**
 * An exclusive lock between processes: the file `<journal>.lock`, created with O_EXCL (so one
 * process at a time makes it) and holding the taker's host, pid and time. Waiting is synchronous
 * (the Storage interface is), polling with a short backoff. A lock is stale, and is broken with a
 * warning, when its holder is a dead process on this machine or it is older than `staleMs`;
 * breaking renames the file aside first and checks it moved the lock it judged, so that two
 * processes breaking one stale lock at once do not remove a third one's fresh lock.
 */
export class FileLock {
  private held: LockHolder | null = null;
  private readonly timeoutMs: number;
  private readonly staleMs: number;

  constructor(
    readonly path: string,
    private readonly options: FileLockOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.staleMs = options.staleMs ?? 10_000;
  }

  /** Takes the lock, waiting for its holder; JournalLockError after `timeoutMs`. */
  acquire(): void {
    const deadline = Date.now() + this.timeoutMs;
    let wait = 1;
    for (;;) {
      const me: LockHolder = { host: HOST, pid: process.pid, at: Date.now(), token: randomBytes(8).toString("hex") };
      if (this.tryCreate(me)) {
        this.held = me;
        return;
      }
      const seen = this.readHolder(this.path);
      if (seen === "gone") continue;
      const stale = this.staleReason(seen);
      if (stale !== null) {
        this.breakStale(seen, stale);
        continue;
      }
      if (Date.now() > deadline) {
        throw new JournalLockError(
          `Could not lock ${this.path} within ${this.timeoutMs / 1000} s: it is held by ${describeHolder(seen)}. ` +
            `If that process is gone, delete ${this.path}.`,
        );
      }
      sleepSync(wait + Math.random());
      wait = Math.min(wait * 2, 16);
    }
  }

  /** Releases the lock, if it is still this process's own (a lock broken as stale is not). */
  release(): void {
    const held = this.held;
    this.held = null;
    if (held === null) return;
    const now = this.readHolder(this.path);
    if (now !== "gone" && now !== "unwritten" && now.token === held.token) unlinkSync(this.path);
  }

  private tryCreate(me: LockHolder): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    return true;
  }

  /** The holder a lock file names; "unwritten" between its taker's create and write, "gone" when there is no file. */
  private readHolder(file: string): LockHolder | "unwritten" | "gone" {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
      throw error;
    }
    try {
      const h = JSON.parse(text) as Partial<LockHolder>;
      if (typeof h.host === "string" && typeof h.pid === "number" && typeof h.at === "number" && typeof h.token === "string") {
        return h as LockHolder;
      }
    } catch {
      // its taker has not written it yet, or died before it did
    }
    return "unwritten";
  }

  /** Why the lock is stale, or null while its holder may still use it. */
  private staleReason(seen: LockHolder | "unwritten"): string | null {
    if (seen === "unwritten") {
      const age = this.ageOfFile();
      return age !== null && age > UNWRITTEN_STALE_MS ? `it names no holder and is ${(age / 1000).toFixed(1)} s old` : null;
    }
    if (seen.host === HOST && seen.pid !== process.pid && !isProcessAlive(seen.pid)) return `its process ${seen.pid} on ${seen.host} is dead`;
    const age = Date.now() - seen.at;
    if (age > this.staleMs) return `${describeHolder(seen)} has held it for ${(age / 1000).toFixed(1)} s (the bound is ${this.staleMs / 1000} s)`;
    return null;
  }

  private ageOfFile(): number | null {
    try {
      return Date.now() - statSync(this.path).mtimeMs;
    } catch {
      return null;
    }
  }

  private breakStale(seen: LockHolder | "unwritten", reason: string): void {
    const aside = `${this.path}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      renameSync(this.path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // another process broke it first
      throw error;
    }
    const moved = this.readHolder(aside);
    const same = seen === "unwritten" ? moved === "unwritten" : moved !== "gone" && moved !== "unwritten" && moved.token === seen.token;
    if (!same) {
      // A fresh lock replaced the stale one before the rename: give it back, unless yet another was taken meanwhile.
      try {
        linkSync(aside, this.path);
      } catch {
        // taken again: its holder and the one whose lock this was now overlap, the race this design narrows but cannot close
      }
      unlinkSync(aside);
      return;
    }
    unlinkSync(aside);
    this.options.logger.warn({ event: "journal_lock_broken", lock: this.path, reason }, `Broke the stale lock ${this.path}: ${reason}.`);
  }
}

function describeHolder(h: LockHolder | "unwritten"): string {
  if (h === "unwritten") return "a process that has not written its name in it yet";
  return `process ${h.pid} on ${h.host} (since ${new Date(h.at).toISOString()})`;
}
