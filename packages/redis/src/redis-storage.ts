import {
  InMemoryStorage,
  isFinished,
  StudyNameError,
  TrialState,
  type Distribution,
  type FrozenTrial,
  type ParamValue,
  type Storage,
  type StudyDirection,
  type StudySummary,
  type TrialTemplate,
  type TrialTimes,
} from "@shoal/core";
import type { ChainableCommander, Redis } from "ioredis";
import { createRedisConnection, redactRedisUrl } from "./connection.js";
import { ShoalKeys } from "./keys.js";
import { trialToHash } from "./schemas.js";
import { bestTrialFields, newStudyFields, readStudyHash, studyUserAttrFields, trialCountFields } from "./study-hash.js";
import { readTrials } from "./study-reads.js";
import { intermediateValueFields } from "./trial-values.js";

/** Queued writes, run on the MULTI of the next flush. */
type Write = (multi: ChainableCommander) => void;

/**
 * The trial hash fields that may be left out while empty: reading takes a missing one for these
 * values. A trial created here starts as if written with exactly them, so its first write leaves
 * them out.
 */
const EMPTY_FIELDS: Readonly<Record<string, string>> = { value: "", userAttrs: "{}", systemAttrs: "{}", datetimeStart: "", datetimeComplete: "" };

/**
 * Studies in Redis, behind core's synchronous Storage interface: a local copy answers every read
 * (samplers read on each suggest call), and each change is queued and written through to Redis in
 * one MULTI per tick (`flush()` waits for it). One process writes a study at a time: the
 * coordinator, which holds the study's lease; workers only add intermediate values and their
 * name to the trials they run.
 *
 * Load a study (`loadStudy`) before using it: the local copy knows only what was loaded or written
 * through this instance.
 */
export class RedisStorage implements Storage {
  readonly description: string;
  private readonly mirror = new InMemoryStorage();
  private pending: Write[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  /** Trials changed since the last flush. */
  private readonly dirty = new Set<number>();
  /** Per study: the trial count and best trial last written, so unchanged ones are not written again. */
  private readonly written = new Map<number, { count: number; best: FrozenTrial | null }>();
  /** trialId -> the study it belongs to. */
  private readonly trialStudies = new Map<number, { studyId: number; name: string }>();
  /**
   * Per unfinished trial: its hash as last written (or loaded), so a write sends only the fields
   * that changed. A finished trial's entry goes; should it change again, it is written whole.
   */
  private readonly writtenHashes = new Map<number, Record<string, string>>();

  constructor(
    readonly redis: Redis,
    readonly keys: ShoalKeys = new ShoalKeys(),
    url = "redis",
  ) {
    this.description = `in Redis at ${redactRedisUrl(url)}`;
  }

  /** Connects to Redis at `url`. */
  static connect(url: string, options: { prefix?: string } = {}): RedisStorage {
    return new RedisStorage(createRedisConnection(url), new ShoalKeys(options.prefix), url);
  }

  /**
   * Copies a study from Redis into the local copy (once). Returns false when Redis has no study
   * of that name.
   */
  async loadStudy(studyName: string): Promise<boolean> {
    try {
      this.mirror.getStudyIdFromName(studyName);
      return true;
    } catch {
      // not loaded yet
    }
    const hash = await readStudyHash(this.redis, this.keys, studyName);
    if (!hash) return false;
    const trials = await readTrials(this.redis, this.keys, studyName, hash.nextNumber);
    const studyId = this.mirror.createStudy(studyName, hash.direction);
    for (const [key, value] of Object.entries(hash.userAttrs)) this.mirror.setStudyUserAttr(studyId, key, value);
    for (const t of trials) {
      const { trialId: _ignored, ...rest } = t;
      const imported = this.mirror.importTrial(studyId, rest);
      this.trialStudies.set(imported.trialId, { studyId, name: studyName });
      if (!isFinished(imported.state)) this.writtenHashes.set(imported.trialId, trialToHash(imported));
    }
    return true;
  }

  createStudy(studyName: string, direction: StudyDirection): number {
    const studyId = this.mirror.createStudy(studyName, direction);
    const fields = newStudyFields(direction, new Date());
    this.write((m) => {
      m.sadd(this.keys.studies(), studyName);
      m.hset(this.keys.study(studyName), fields);
    });
    return studyId;
  }

  getStudyIdFromName(studyName: string): number {
    try {
      return this.mirror.getStudyIdFromName(studyName);
    } catch (error) {
      if (error instanceof StudyNameError) {
        throw new StudyNameError(`No study named "${studyName}" is loaded from Redis; call loadStudy("${studyName}") first, or create it.`);
      }
      throw error;
    }
  }

  getStudyName(studyId: number): string {
    return this.mirror.getStudyName(studyId);
  }

  getStudyDirection(studyId: number): StudyDirection {
    return this.mirror.getStudyDirection(studyId);
  }

  getAllStudies(): StudySummary[] {
    return this.mirror.getAllStudies();
  }

  setStudyUserAttr(studyId: number, key: string, value: unknown): void {
    this.mirror.setStudyUserAttr(studyId, key, value);
    const name = this.getStudyName(studyId);
    this.write((m) => m.hset(this.keys.study(name), studyUserAttrFields(key, value)));
  }

  getStudyUserAttrs(studyId: number): Readonly<Record<string, unknown>> {
    return this.mirror.getStudyUserAttrs(studyId);
  }

  createTrial(studyId: number, template?: TrialTemplate): FrozenTrial {
    const trial = this.mirror.createTrial(studyId, template);
    const name = this.getStudyName(studyId);
    this.trialStudies.set(trial.trialId, { studyId, name });
    this.writtenHashes.set(trial.trialId, EMPTY_FIELDS);
    this.touch(trial.trialId);
    return trial;
  }

  popWaitingTrial(studyId: number): FrozenTrial | null {
    const trial = this.mirror.popWaitingTrial(studyId);
    if (trial) this.touch(trial.trialId);
    return trial;
  }

  setTrialParam(trialId: number, name: string, value: ParamValue, distribution: Distribution): void {
    this.mirror.setTrialParam(trialId, name, value, distribution);
    this.touch(trialId);
  }

  deleteTrialParam(trialId: number, name: string): void {
    this.mirror.deleteTrialParam(trialId, name);
    this.touch(trialId);
  }

  setTrialState(trialId: number, state: TrialState, value?: number | null, times?: TrialTimes): FrozenTrial {
    const trial = this.mirror.setTrialState(trialId, state, value, times);
    this.touch(trialId);
    return trial;
  }

  setTrialIntermediateValue(trialId: number, step: number, value: number): void {
    this.mirror.setTrialIntermediateValue(trialId, step, value);
    const number = this.mirror.getTrial(trialId).number;
    const { name } = this.studyOf(trialId);
    this.write((m) => m.hset(this.keys.trialValues(name, number), intermediateValueFields(step, value)));
  }

  setTrialUserAttr(trialId: number, key: string, value: unknown): void {
    this.mirror.setTrialUserAttr(trialId, key, value);
    this.touch(trialId);
  }

  setTrialSystemAttr(trialId: number, key: string, value: unknown): void {
    this.mirror.setTrialSystemAttr(trialId, key, value);
    this.touch(trialId);
  }

  getTrial(trialId: number): FrozenTrial {
    return this.mirror.getTrial(trialId);
  }

  getAllTrials(studyId: number, states?: readonly TrialState[]): readonly FrozenTrial[] {
    return this.mirror.getAllTrials(studyId, states);
  }

  getTrialByNumber(studyId: number, number: number): FrozenTrial | null {
    return this.mirror.getTrialByNumber(studyId, number);
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

  /** Resolves once every change made so far is in Redis. Waits through a reconnect. */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.dirty.size > 0 || this.flushing) {
      if (this.flushing) {
        await this.flushing;
        continue;
      }
      await this.send(this.redis.multi());
    }
  }

  /**
   * Writes every change made so far and then `extra`'s commands in one MULTI made by `multi` (on
   * a connection to the same server), so they land together or not at all, in one round trip.
   * The coordinator enqueues a trial's job this way, in the transaction that creates the trial.
   */
  async flushWith(multi: () => ChainableCommander, extra: (multi: ChainableCommander) => void): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.send(multi(), extra);
  }

  /** One MULTI with the pending writes (kept for the next flush if it fails) and `extra`. */
  private send(multi: ChainableCommander, extra?: (multi: ChainableCommander) => void): Promise<void> {
    this.writeDirtyTrials();
    const batch = this.pending;
    this.pending = [];
    try {
      for (const w of batch) w(multi);
      extra?.(multi);
    } catch (error) {
      this.pending = [...batch, ...this.pending];
      return Promise.reject(error);
    }
    this.flushing = multi
      .exec()
      .then((results) => {
        const failed = results?.find(([err]) => err);
        if (failed?.[0]) throw failed[0];
      })
      .catch((error: unknown) => {
        // Keep the batch so nothing is lost; the next flush sends it again (writes are idempotent).
        this.pending = [...batch, ...this.pending];
        throw error;
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /** Flushes and closes the connection. */
  async close(): Promise<void> {
    await this.flush();
    await this.redis.quit();
  }

  private write(w: Write): void {
    this.pending.push(w);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush().catch(() => {
          // Retried by the next flush; callers that must know await flush() themselves.
        });
      });
    }
  }

  /** Marks a trial changed: its changed hash fields are written once, at the next flush. */
  private touch(trialId: number): void {
    this.dirty.add(trialId);
    this.scheduleFlush();
  }

  /**
   * Turns the changed trials into writes: each trial's changed fields once (however many changes it had),
   * its place in the running set, the study's trial count and, when it moved, the best trial.
   */
  private writeDirtyTrials(): void {
    if (this.dirty.size === 0) return;
    const trialIds = [...this.dirty];
    this.dirty.clear();
    const touchedStudies = new Set<number>();
    for (const trialId of trialIds) {
      const { studyId, name } = this.studyOf(trialId);
      const trial = this.mirror.getTrial(trialId);
      touchedStudies.add(studyId);
      const changed = this.changedFields(trialId, trial);
      this.pending.push((m) => {
        if (changed !== null) m.hset(this.keys.trial(name, trial.number), changed);
        if (trial.state === TrialState.RUNNING) m.sadd(this.keys.running(name), String(trial.number));
        else m.srem(this.keys.running(name), String(trial.number));
      });
    }
    for (const studyId of touchedStudies) {
      const name = this.getStudyName(studyId);
      const count = this.mirror.getTrialCount(studyId);
      const best = this.mirror.getBestTrial(studyId);
      const written = this.written.get(studyId) ?? { count: -1, best: null };
      if (count !== written.count) this.pending.push((m) => m.hset(this.keys.study(name), trialCountFields(count)));
      if (best && best !== written.best) {
        this.pending.push((m) => m.hset(this.keys.study(name), bestTrialFields(best)));
      }
      this.written.set(studyId, { count, best });
    }
  }

  /**
   * The trial's hash fields that differ from the ones last written (all of them when this
   * instance never wrote or loaded it), or null when none does. A field that emptied is written
   * empty, as trialToHash writes it.
   */
  private changedFields(trialId: number, trial: FrozenTrial): Record<string, string> | null {
    const hash = trialToHash(trial);
    const written = this.writtenHashes.get(trialId);
    if (isFinished(trial.state)) this.writtenHashes.delete(trialId);
    else this.writtenHashes.set(trialId, hash);
    if (written === undefined) return hash;
    let changed: Record<string, string> | null = null;
    for (const [field, value] of Object.entries(hash)) {
      if (written[field] !== value) (changed ??= {})[field] = value;
    }
    return changed;
  }

  private studyOf(trialId: number): { studyId: number; name: string } {
    const where = this.trialStudies.get(trialId);
    if (!where) throw new StudyNameError(`Trial id ${trialId} belongs to no loaded study.`);
    return where;
  }
}
