import { existsSync, fsyncSync, openSync, closeSync, realpathSync } from "node:fs";
import path from "node:path";
import {
  getLogger,
  InMemoryStorage,
  StudyNameError,
  TrialState,
  type Distribution,
  type FrozenTrial,
  type Logger,
  type ParamValue,
  type Storage,
  type StudyDirection,
  type StudySummary,
  type TrialTemplate,
  type TrialTimes,
} from "@shoal/core";
import { applyRecord } from "./apply-record.js";
import { JournalFormatError, JournalLockError, JournalWriteError } from "./errors.js";
import { FileLock } from "./file-lock.js";
import { JournalFile, type JournalRead } from "./journal-file.js";
import { headerLine, recordLine, type JournalRecordInput } from "./journal-format.js";
import { HOST, isProcessAlive, ownerName, parseOwner } from "./process-owner.js";

/** Options of `JournalFileStorage.open`. */
export interface JournalOptions {
  /**
   * Wait after each record until it is on disk (fdatasync). `false` is several times faster but
   * unsafe on power loss or an OS crash: the last records may be lost, or the file left with a
   * torn or zeroed tail. A killed process loses nothing either way. @default true
   */
  fsync?: boolean;
  /** Read the journal once, without the lock; every change throws JournalWriteError. @default false */
  readOnly?: boolean;
  /** Where the torn-tail, stale-lock and dead-trial warnings go. @default the shared logger */
  logger?: Logger;
  /** Give up waiting for another process's lock after this long. @default 15000 */
  lockTimeoutMs?: number;
  /** A lock held longer than this is broken (see FileLock). @default 10000 */
  lockStaleMs?: number;
}

/**
 * The RUNNING trials of live JournalFileStorages in this process, by journal, study and number: a
 * trial whose owner pid is this process's own but which no storage here runs was started by an
 * earlier process that had the same pid.
 */
const runningHere = new Set<string>();

/**
 * Studies in a journal file (JSON Lines, append-only, see journal-format.ts), behind core's
 * synchronous Storage interface: an in-memory copy answers every read, and each change is, under
 * the journal's lock (`<file>.lock`): read the records other processes appended since this one's
 * last change and replay them, apply the change to the copy (which checks it), append its
 * record, fdatasync (unless `fsync: false`), release. So several processes, on this machine or on
 * a file system with a working O_EXCL, can run one study: trial numbers never collide, and an
 * enqueued trial is popped by one process only.
 *
 * Visibility: another process's trials and results reach this copy at this process's next change,
 * in practice its next ask or suggest; `refresh()` reads them at once. Reads between changes take
 * no lock and do no I/O.
 *
 * Recovery: each RUNNING trial records its process in the `worker` system attr (`<host>:<pid>`).
 * On open and at every ask, RUNNING trials whose process ran on this machine and is gone are
 * recorded FAIL ("its process <pid> on <host> died before it finished"); they are not re-run.
 * RUNNING trials of another machine are left RUNNING, since their pid cannot be checked here.
 * Finished trials are all kept. A last line torn by a crash mid-write is ignored and reported
 * once as a warning, then cut away under the lock before the next record.
 */
export class JournalFileStorage implements Storage {
  readonly description: string;
  readonly readOnly: boolean;
  private readonly mirror = new InMemoryStorage();
  private readonly lock: FileLock | null;
  private readonly fsync: boolean;
  private readonly logger: Logger;
  private readonly owner = ownerName(HOST, process.pid);
  /** Identifies the journal in `runningHere` whatever path it was opened by. */
  private readonly key: string;
  /** How deep the current change nests in the lock (a recovery inside an ask holds it once). */
  private depth = 0;
  /** Set once a write failed or the lock was lost: the copy may differ from the file. */
  private broken: Error | null = null;
  /** The torn tail last warned about (read-only): a reader warns once per tail. */
  private warnedTornAt: number | null = null;
  /** This storage's own RUNNING trials per study, so that most asks skip the dead-owner scan. */
  private readonly ownRunning = new Map<number, Set<number>>();
  /** trialId -> its study's name, filled as trials are first changed. */
  private readonly trialStudies: string[] = [];

  private constructor(
    readonly path: string,
    private readonly file: JournalFile,
    options: JournalOptions,
  ) {
    this.description = `in the journal file ${path}`;
    this.readOnly = options.readOnly ?? false;
    this.fsync = options.fsync ?? true;
    this.logger = options.logger ?? getLogger();
    this.key = realpathSync(path);
    this.lock = this.readOnly
      ? null
      : new FileLock(`${path}.lock`, { logger: this.logger, timeoutMs: options.lockTimeoutMs, staleMs: options.lockStaleMs });
  }

  /**
   * Opens the journal at `path`, creating it (with its header) when missing unless read-only,
   * and reads every study in it. Unless read-only, records FAIL the RUNNING trials of dead
   * processes of this machine. Throws JournalFormatError when the file is not a journal or has a
   * malformed record before its last line.
   */
  static open(path: string, options: JournalOptions = {}): JournalFileStorage {
    const readOnly = options.readOnly ?? false;
    if (readOnly && !existsSync(path)) {
      throw new JournalFormatError(`There is no journal file at ${path}: \`shoal optimize <objective> --storage ${path}\` starts one.`);
    }
    const created = !readOnly && !existsSync(path);
    const file = JournalFile.open(path, { readOnly });
    let storage: JournalFileStorage;
    try {
      storage = new JournalFileStorage(path, file, options);
      if (readOnly) storage.catchUp(false);
      else {
        storage.locked(() => {
          if (storage.file.isEmpty) storage.file.append(headerLine(new Date()), 1, storage.fsync);
        });
        if (created && storage.fsync) syncDirectory(path);
        storage.failDeadTrials();
      }
    } catch (error) {
      file.close();
      throw error;
    }
    return storage;
  }

  /** Reads the records other processes appended since this one last read them. */
  refresh(): void {
    if (this.readOnly) this.catchUp(false);
    else this.locked(() => undefined);
  }

  /**
   * Records FAIL every RUNNING trial (of one study, or of all) whose process ran on this machine
   * and is gone, with the reason, and returns them. Called on open and at every ask.
   */
  failDeadTrials(studyId?: number): FrozenTrial[] {
    this.checkWritable();
    return this.locked(() => {
      const failed: FrozenTrial[] = [];
      const ids = studyId === undefined ? this.mirror.getAllStudies().map((s) => s.studyId) : [studyId];
      for (const id of ids) {
        if (this.mirror.countTrialsByState(id).RUNNING === 0) continue;
        const studyName = this.mirror.getStudyName(id);
        for (const t of this.mirror.getAllTrials(id, [TrialState.RUNNING])) {
          const reason = this.deathOf(studyName, t);
          if (reason === null) continue;
          this.setTrialSystemAttr(t.trialId, "failReason", reason);
          failed.push(this.setTrialState(t.trialId, TrialState.FAIL));
          this.logger.warn(
            { event: "trial_owner_died", study: studyName, trial: t.number, worker: t.systemAttrs.worker },
            `Trial ${t.number} of study "${studyName}" recorded as FAIL: ${reason}.`,
          );
        }
      }
      return failed;
    });
  }

  /** Closes the file. Changes after this throw; reads keep answering from the copy. */
  close(): void {
    this.broken ??= new JournalWriteError(`The journal ${this.path} was closed; open it again to change it.`);
    for (const [studyId, numbers] of this.ownRunning) {
      const name = this.mirror.getStudyName(studyId);
      for (const n of numbers) runningHere.delete(this.trialKey(name, n));
    }
    this.ownRunning.clear();
    this.file.close();
  }

  createStudy(studyName: string, directions: readonly StudyDirection[]): number {
    return this.change(() => ({
      result: this.mirror.createStudy(studyName, directions),
      records: [
        directions.length === 1
          ? { op: "createStudy", study: studyName, direction: directions[0]! }
          : { op: "createStudy", study: studyName, directions: [...directions] },
      ],
    }));
  }

  getStudyIdFromName(studyName: string): number {
    try {
      return this.mirror.getStudyIdFromName(studyName);
    } catch (error) {
      if (!(error instanceof StudyNameError) || this.broken) throw error;
      // Another process may have created it since this one last read the journal.
      this.refresh();
      try {
        return this.mirror.getStudyIdFromName(studyName);
      } catch {
        const names = this.mirror.getAllStudies().map((s) => `"${s.studyName}"`);
        throw new StudyNameError(
          `No study named "${studyName}" in the journal file ${this.path}` + (names.length > 0 ? ` (it holds ${names.join(", ")}).` : " (it holds none yet)."),
        );
      }
    }
  }

  getStudyName(studyId: number): string {
    return this.mirror.getStudyName(studyId);
  }

  getStudyDirections(studyId: number): readonly StudyDirection[] {
    return this.mirror.getStudyDirections(studyId);
  }

  getAllStudies(): StudySummary[] {
    return this.mirror.getAllStudies();
  }

  setStudyUserAttr(studyId: number, key: string, value: unknown): void {
    const copy = jsonCopy(value);
    this.change(() => {
      this.mirror.setStudyUserAttr(studyId, key, copy);
      return { result: undefined, records: [{ op: "setStudyUserAttr", study: this.mirror.getStudyName(studyId), key, value: copy }] };
    });
  }

  getStudyUserAttrs(studyId: number): Readonly<Record<string, unknown>> {
    return this.mirror.getStudyUserAttrs(studyId);
  }

  /** Creates the study's next trial; a RUNNING one records this process as its `worker`. */
  createTrial(studyId: number, template: TrialTemplate = {}): FrozenTrial {
    const state = template.state ?? TrialState.RUNNING;
    const userAttrs = jsonCopy(template.userAttrs ?? {}) as Record<string, unknown>;
    const systemAttrs = jsonCopy(template.systemAttrs ?? {}) as Record<string, unknown>;
    if (state === TrialState.RUNNING) systemAttrs.worker = this.owner;
    if (state !== TrialState.RUNNING && state !== TrialState.WAITING) {
      throw new JournalWriteError(`A new trial is RUNNING or WAITING, not ${state}.`);
    }
    return this.change(() => {
      this.failDeadTrialsAtAsk(studyId);
      const trial = this.mirror.createTrial(studyId, { state, userAttrs, systemAttrs });
      if (state === TrialState.RUNNING) this.markRunning(studyId, trial.number);
      const study = this.mirror.getStudyName(studyId);
      const start = trial.datetimeStart?.toISOString() ?? null;
      return { result: trial, records: [{ op: "createTrial", study, number: trial.number, state, userAttrs, systemAttrs, start }] };
    });
  }

  /** Pops the oldest WAITING trial (of every process's) and records this process as its `worker`. */
  popWaitingTrial(studyId: number): FrozenTrial | null {
    // Under the lock, after reading the others' records: a trial another process popped is RUNNING here too.
    return this.change(() => {
      this.failDeadTrialsAtAsk(studyId);
      const popped = this.mirror.popWaitingTrial(studyId);
      if (!popped) return { result: null, records: [] };
      this.mirror.setTrialSystemAttr(popped.trialId, "worker", this.owner);
      this.markRunning(studyId, popped.number);
      const trial = this.mirror.getTrial(popped.trialId);
      const study = this.mirror.getStudyName(studyId);
      return {
        result: trial,
        records: [{ op: "popWaitingTrial", study, number: trial.number, start: (trial.datetimeStart as Date).toISOString(), worker: this.owner }],
      };
    });
  }

  setTrialParam(trialId: number, name: string, value: ParamValue, distribution: Distribution): void {
    this.change(() => {
      this.mirror.setTrialParam(trialId, name, value, distribution);
      return { result: undefined, records: [{ op: "setTrialParam", ...this.ref(trialId), name, value, distribution }] };
    });
  }

  deleteTrialParam(trialId: number, name: string): void {
    this.change(() => {
      const had = Object.hasOwn(this.mirror.getTrial(trialId).params, name);
      this.mirror.deleteTrialParam(trialId, name);
      return { result: undefined, records: had ? [{ op: "deleteTrialParam", ...this.ref(trialId), name }] : [] };
    });
  }

  setTrialState(trialId: number, state: TrialState, values?: readonly number[] | null, times?: TrialTimes): FrozenTrial {
    return this.change(() => {
      const t = this.mirror.setTrialState(trialId, state, values, times);
      const ref = this.ref(trialId);
      if (state !== TrialState.RUNNING) this.markNotRunning(ref.study, t.number);
      return {
        result: t,
        records: [
          {
            op: "setTrialState",
            ...ref,
            state,
            value: t.value,
            ...(t.values !== null && t.values.length > 1 ? { values: t.values } : {}),
            start: t.datetimeStart?.toISOString() ?? null,
            complete: t.datetimeComplete?.toISOString() ?? null,
          },
        ],
      };
    });
  }

  setTrialIntermediateValue(trialId: number, step: number, value: number): void {
    this.change(() => {
      this.mirror.setTrialIntermediateValue(trialId, step, value);
      return { result: undefined, records: [{ op: "setTrialIntermediateValue", ...this.ref(trialId), step, value }] };
    });
  }

  setTrialUserAttr(trialId: number, key: string, value: unknown): void {
    const copy = jsonCopy(value);
    this.change(() => {
      this.mirror.setTrialUserAttr(trialId, key, copy);
      return { result: undefined, records: [{ op: "setTrialUserAttr", ...this.ref(trialId), key, value: copy }] };
    });
  }

  setTrialSystemAttr(trialId: number, key: string, value: unknown): void {
    const copy = jsonCopy(value);
    this.change(() => {
      this.mirror.setTrialSystemAttr(trialId, key, copy);
      return { result: undefined, records: [{ op: "setTrialSystemAttr", ...this.ref(trialId), key, value: copy }] };
    });
  }

  getTrial(trialId: number): FrozenTrial {
    return this.mirror.getTrial(trialId);
  }

  getTrialByNumber(studyId: number, number: number): FrozenTrial | null {
    return this.mirror.getTrialByNumber(studyId, number);
  }

  getAllTrials(studyId: number, states?: readonly TrialState[]): readonly FrozenTrial[] {
    return this.mirror.getAllTrials(studyId, states);
  }

  countTrialsByState(studyId: number): Readonly<Record<TrialState, number>> {
    return this.mirror.countTrialsByState(studyId);
  }

  getBestTrial(studyId: number): FrozenTrial | null {
    return this.mirror.getBestTrial(studyId);
  }

  getParamDistribution(studyId: number, name: string): Distribution | undefined {
    return this.mirror.getParamDistribution(studyId, name);
  }

  getParamDistributions(studyId: number): Record<string, Distribution> {
    return this.mirror.getParamDistributions(studyId);
  }

  /** Every record is written (and, with `fsync`, on disk) before its change returns: nothing to wait for. */
  async flush(): Promise<void> {}

  /**
   * One change: under the lock, with the other processes' records read first; `apply` changes
   * the copy (its checks throw before anything is written) and returns the records to append.
   */
  private change<T>(apply: () => { result: T; records: JournalRecordInput[] }): T {
    this.checkWritable();
    return this.locked(() => {
      const { result, records } = apply();
      this.write(records);
      return result;
    });
  }

  /** Runs `fn` holding the lock, after reading what other processes appended; nested calls hold it once. */
  private locked<T>(fn: () => T): T {
    const lock = this.lock as FileLock;
    if (this.depth > 0) return fn();
    lock.acquire();
    this.depth += 1;
    try {
      this.catchUp(true);
      return fn();
    } finally {
      this.depth -= 1;
      lock.release();
    }
  }

  private write(records: readonly JournalRecordInput[]): void {
    if (records.length === 0) return;
    // Nothing may have been appended since this change's catch-up: if something was, another
    // process broke this one's lock as stale and wrote. The file is still a valid order of
    // records (this change was not written), but this copy applied a change the file lacks.
    if (!this.file.isCurrent()) {
      this.broken = new JournalLockError(
        `Lost the lock of ${this.path} while changing it: another process judged it stale and wrote meanwhile. ` +
          "This storage's copy may differ from the file now; open the journal again.",
      );
      throw this.broken;
    }
    try {
      this.file.append(records.map(recordLine).join(""), records.length, this.fsync);
    } catch (error) {
      this.broken = new JournalWriteError(`Could not write to the journal ${this.path}: ${(error as Error).message}. Open it again once fixed.`, {
        cause: error,
      });
      throw this.broken;
    }
  }

  /** Reads and replays the records appended since the last read; deals with a torn tail. */
  private catchUp(underLock: boolean): void {
    let read: JournalRead;
    try {
      read = this.file.readNew();
    } catch (error) {
      if (error instanceof JournalFormatError) this.broken ??= error;
      throw error;
    }
    for (const { line, record } of read.records) {
      try {
        applyRecord(this.mirror, record);
      } catch (error) {
        this.broken = new JournalFormatError(
          `${this.path} line ${line}: the ${record.op} record does not fit the records before it (${(error as Error).message}).`,
          { cause: error },
        );
        throw this.broken;
      }
    }
    const torn = read.torn;
    if (torn === null) return;
    // Under the lock no other process is writing: the tail is what a writer that died left.
    if (!underLock && this.warnedTornAt === this.file.lineCount) return;
    this.warnedTornAt = this.file.lineCount;
    this.logger.warn(
      { event: "journal_torn_tail", journal: this.path, bytes: torn.bytes, line: this.file.lineCount + 1 },
      `Ignored the last ${torn.bytes} bytes of ${this.path} (line ${this.file.lineCount + 1}): ${torn.reason}, ` +
        `as a process that died mid-write leaves it${underLock ? "; cut it away" : ""}.`,
    );
    if (underLock) this.file.truncateTail();
  }

  /** At an ask: the dead-owner scan, only when the study has RUNNING trials that are not this storage's. */
  private failDeadTrialsAtAsk(studyId: number): void {
    const running = this.mirror.countTrialsByState(studyId).RUNNING;
    if (running > (this.ownRunning.get(studyId)?.size ?? 0)) this.failDeadTrials(studyId);
  }

  /** Why a RUNNING trial's process is known dead, or null. */
  private deathOf(studyName: string, t: FrozenTrial): string | null {
    const owner = parseOwner(t.systemAttrs.worker);
    if (owner === null || owner.host !== HOST) return null;
    if (owner.pid === process.pid ? runningHere.has(this.trialKey(studyName, t.number)) : isProcessAlive(owner.pid)) return null;
    return `its process ${owner.pid} on ${owner.host} died before it finished`;
  }

  private markRunning(studyId: number, number: number): void {
    let own = this.ownRunning.get(studyId);
    if (!own) this.ownRunning.set(studyId, (own = new Set()));
    own.add(number);
    runningHere.add(this.trialKey(this.mirror.getStudyName(studyId), number));
  }

  private markNotRunning(studyName: string, number: number): void {
    const studyId = this.mirror.getStudyIdFromName(studyName);
    if (this.ownRunning.get(studyId)?.delete(number)) runningHere.delete(this.trialKey(studyName, number));
  }

  private trialKey(studyName: string, number: number): string {
    return `${this.key}\n${studyName}\n${number}`;
  }

  private ref(trialId: number): { study: string; number: number } {
    return { study: this.studyNameOf(trialId), number: this.mirror.getTrial(trialId).number };
  }

  /** The name of the study a trial id belongs to (a trial never moves: found once, then kept). */
  private studyNameOf(trialId: number): string {
    const known = this.trialStudies[trialId];
    if (known !== undefined) return known;
    const t = this.mirror.getTrial(trialId);
    for (const s of this.mirror.getAllStudies()) {
      if (this.mirror.getTrialByNumber(s.studyId, t.number)?.trialId === trialId) {
        this.trialStudies[trialId] = s.studyName;
        return s.studyName;
      }
    }
    throw new JournalWriteError(`Trial id ${trialId} belongs to no study of ${this.path}.`);
  }

  private checkWritable(): void {
    if (this.broken) throw this.broken;
    if (this.readOnly) throw new JournalWriteError(`The journal ${this.path} was opened read-only; open it without readOnly to change it.`);
  }
}

/** What the journal keeps of a value: its JSON form, so that this process holds what others read. */
function jsonCopy(value: unknown): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
  return text === undefined ? undefined : JSON.parse(text);
}

/** Makes a new file's directory entry durable, as fsync of the file alone does not. */
function syncDirectory(file: string): void {
  const fd = openSync(path.dirname(path.resolve(file)), "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
