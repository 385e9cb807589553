import {
  getLogger,
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
import { RedisOutageLog } from "./connection-errors.js";
import { StudyDataLostError } from "./errors.js";
import { ShoalKeys } from "./keys.js";
import { trialToHash } from "./schemas.js";
import {
  bestTrialFields,
  ensureStudyEpoch,
  newStudyEpoch,
  newStudyFields,
  queueStudyEpochRead,
  readStudyHash,
  setStudyObjective as writeStudyObjective,
  studyHashFields,
  studyUserAttrFields,
  trialCountFields,
} from "./study-hash.js";
import { readTrials } from "./study-reads.js";
import { intermediateValueFields } from "./trial-values.js";

/** A queued write of one study, run on the MULTI of the next flush. */
interface Write {
  study: string;
  run: (multi: ChainableCommander) => void;
}

/** What a study's hash holds that the mirror does not: kept so that a lost study can be written back whole. */
interface StudyMeta {
  createdAt: string;
  epoch: string;
  objective: string | null;
  reported: boolean;
  /** The hash was seen in Redis with this epoch (loaded, or read back after its creation was written). */
  confirmed: boolean;
}

/**
 * How a study was lost from Redis: `missing`, its hash has no epoch (Redis lost the data and later
 * writes re-created part of it, or nothing); `replaced`, it holds another epoch (a new study of
 * that name was created there meanwhile).
 */
export type StudyLoss = { how: "missing" | "replaced"; detectedAt: number };

/** What restoreStudy wrote back. */
export interface RestoredStudy {
  /** Trials written back (the study's whole history), RUNNING ones among them. */
  trials: number;
  running: number;
  waiting: number;
  /** The study's trial count (`nextNumber`): the budget used, so no trial number is reused or skipped. */
  nextNumber: number;
}

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
  /** Per study name: what its hash holds beyond the mirror (see StudyMeta). */
  private readonly studyMeta = new Map<string, StudyMeta>();
  /** Studies written to since the last flush: the flush reads back their epochs. */
  private readonly touchedStudies = new Set<string>();
  /** Studies found lost from Redis, until restored. */
  private readonly lost = new Map<string, StudyLoss>();
  private readonly lostListeners: Array<(studyName: string, loss: StudyLoss) => void> = [];
  /** Studies this instance writes no more (abandonStudy). */
  private readonly abandoned = new Set<string>();

  constructor(
    readonly redis: Redis,
    readonly keys: ShoalKeys = new ShoalKeys(),
    url = "redis",
  ) {
    this.description = `in Redis at ${redactRedisUrl(url)}`;
  }

  /** Connects to Redis at `url`; an outage is logged once, when it starts and when it ends (core's logger). */
  static connect(url: string, options: { prefix?: string } = {}): RedisStorage {
    const redis = new RedisOutageLog(url, getLogger()).watch(createRedisConnection(url));
    return new RedisStorage(redis, new ShoalKeys(options.prefix), url);
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
    // A study older than the epoch field gets one now, so its loss can be seen too.
    const epoch = await ensureStudyEpoch(this.redis, this.keys, studyName, hash.epoch ?? newStudyEpoch());
    const trials = await readTrials(this.redis, this.keys, studyName, hash.nextNumber);
    this.studyMeta.set(studyName, {
      createdAt: hash.createdAt,
      epoch: epoch ?? hash.epoch ?? newStudyEpoch(),
      objective: hash.objective ?? null,
      reported: hash.reported,
      confirmed: epoch !== null,
    });
    const studyId = this.mirror.createStudy(studyName, hash.directions);
    for (const [key, value] of Object.entries(hash.userAttrs)) this.mirror.setStudyUserAttr(studyId, key, value);
    for (const t of trials) {
      const { trialId: _ignored, ...rest } = t;
      const imported = this.mirror.importTrial(studyId, rest);
      this.trialStudies.set(imported.trialId, { studyId, name: studyName });
      if (!isFinished(imported.state)) this.writtenHashes.set(imported.trialId, trialToHash(imported));
    }
    return true;
  }

  createStudy(studyName: string, directions: readonly StudyDirection[]): number {
    const studyId = this.mirror.createStudy(studyName, directions);
    const createdAt = new Date();
    const epoch = newStudyEpoch();
    this.studyMeta.set(studyName, { createdAt: createdAt.toISOString(), epoch, objective: null, reported: false, confirmed: false });
    const fields = newStudyFields(directions, createdAt, epoch);
    this.write((m) => {
      m.sadd(this.keys.studies(), studyName);
      m.hset(this.keys.study(studyName), fields);
    }, studyName);
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

  getStudyDirections(studyId: number): readonly StudyDirection[] {
    return this.mirror.getStudyDirections(studyId);
  }

  getAllStudies(): StudySummary[] {
    return this.mirror.getAllStudies();
  }

  setStudyUserAttr(studyId: number, key: string, value: unknown): void {
    this.mirror.setStudyUserAttr(studyId, key, value);
    const name = this.getStudyName(studyId);
    this.write((m) => m.hset(this.keys.study(name), studyUserAttrFields(key, value)), name);
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

  setTrialState(trialId: number, state: TrialState, values?: readonly number[] | null, times?: TrialTimes): FrozenTrial {
    const trial = this.mirror.setTrialState(trialId, state, values, times);
    this.touch(trialId);
    return trial;
  }

  setTrialIntermediateValue(trialId: number, step: number, value: number): void {
    this.mirror.setTrialIntermediateValue(trialId, step, value);
    const number = this.mirror.getTrial(trialId).number;
    const { name } = this.studyOf(trialId);
    this.write((m) => m.hset(this.keys.trialValues(name, number), intermediateValueFields(step, value)), name);
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

  /**
   * One MULTI with the pending writes (kept for the next flush if it fails) and `extra`, and at
   * its end a read of each written study's epoch: a study whose hash lost it is flagged lost
   * (lostStudy), at the very write that would otherwise carry on over its remains.
   */
  private send(multi: ChainableCommander, extra?: (multi: ChainableCommander) => void): Promise<void> {
    this.writeDirtyTrials();
    const batch = this.pending;
    this.pending = [];
    const checked = [...this.touchedStudies].filter((name) => this.studyMeta.has(name));
    this.touchedStudies.clear();
    try {
      for (const w of batch) w.run(multi);
      extra?.(multi);
      for (const name of checked) queueStudyEpochRead(multi, this.keys, name);
    } catch (error) {
      this.pending = [...batch, ...this.pending];
      for (const name of checked) this.touchedStudies.add(name);
      return Promise.reject(error);
    }
    this.flushing = multi
      .exec()
      .then((results) => {
        const failed = results?.find(([err]) => err);
        if (failed?.[0]) throw failed[0];
        // The epoch reads are the MULTI's last replies.
        const epochs = checked.length === 0 ? [] : (results ?? []).slice(-checked.length);
        checked.forEach((name, i) => this.noteEpoch(name, (epochs[i]?.[1] as string | null | undefined) ?? null));
      })
      .catch((error: unknown) => {
        // Keep the batch so nothing is lost; the next flush sends it again (writes are idempotent).
        this.pending = [...batch, ...this.pending];
        for (const name of checked) this.touchedStudies.add(name);
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

  /**
   * Calls `listener` once each time a loaded study is found lost from Redis (by a flush or by
   * checkStudies): its hash lost its epoch, or holds another study's. The study stays lost
   * (lostStudy) until restoreStudy writes it back.
   */
  onStudyLost(listener: (studyName: string, loss: StudyLoss) => void): void {
    this.lostListeners.push(listener);
  }

  /** How and when the study was found lost from Redis, or null while it is there. */
  lostStudy(studyName: string): StudyLoss | null {
    return this.lost.get(studyName) ?? null;
  }

  /**
   * Reads the epoch of every study this instance loaded or created (once its creation is in
   * Redis), in one round trip, and flags the lost ones as a flush does: for a study that writes
   * nothing for a while (its trials all running), so a loss is seen all the same.
   */
  async checkStudies(): Promise<void> {
    const names = [...this.studyMeta].filter(([, meta]) => meta.confirmed).map(([name]) => name);
    if (names.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const name of names) queueStudyEpochRead(pipeline, this.keys, name);
    const replies = (await pipeline.exec()) ?? [];
    names.forEach((name, i) => {
      const [error, epoch] = replies[i] ?? [null, null];
      if (!error) this.noteEpoch(name, (epoch as string | null) ?? null);
    });
  }

  /**
   * Writes a study that Redis lost back from this instance's copy, in one MULTI: deletes what
   * later writes re-created of it and writes the studies-set entry, the whole study hash (its
   * direction, creation time, trial count, best trial, objective, reported flag, user attrs and
   * epoch), every trial hash, the finished trials' intermediate values and the running set:
   * exactly what loadStudy reads back. A RUNNING trial's intermediate values are the worker's to
   * write and are left as they are. Then the study is no longer lost.
   *
   * Whoever calls it must hold the study (its lease): this writes over what is there. A study found
   * `replaced` (another study of that name was created meanwhile) is not written over:
   * StudyDataLostError.
   */
  async restoreStudy(studyName: string): Promise<RestoredStudy> {
    const studyId = this.getStudyIdFromName(studyName);
    const meta = this.studyMeta.get(studyName) as StudyMeta;
    if (this.lost.get(studyName)?.how === "replaced") {
      throw new StudyDataLostError(studyName, "a new study of that name was created in Redis meanwhile", this.mirror.countTrialsByState(studyId));
    }
    while (this.flushing) await this.flushing.catch(() => undefined);
    const out: { restored?: RestoredStudy } = {};
    this.touchedStudies.add(studyName);
    await this.send(this.redis.multi(), (m) => {
      out.restored = this.queueRestore(m, studyName, studyId, meta);
    });
    this.lost.delete(studyName);
    return out.restored as RestoredStudy;
  }

  /**
   * Stamps the study with the objective its coordinator runs (workers refuse jobs of another),
   * and keeps it, so a restored study carries it too.
   */
  async setStudyObjective(studyName: string, objectiveId: string): Promise<void> {
    const meta = this.studyMeta.get(studyName);
    if (meta) meta.objective = objectiveId;
    await writeStudyObjective(this.redis, this.keys, studyName, objectiveId);
  }

  /** The restore's commands (see restoreStudy); what this instance last wrote is then all of it. */
  private queueRestore(m: ChainableCommander, name: string, studyId: number, meta: StudyMeta): RestoredStudy {
    const trials = this.mirror.getAllTrials(studyId);
    const count = this.mirror.getTrialCount(studyId);
    const best = this.mirror.getBestTrial(studyId);
    const reported = meta.reported || trials.some((t) => Object.keys(t.intermediateValues).length > 0);
    m.sadd(this.keys.studies(), name);
    m.del(this.keys.study(name), this.keys.running(name));
    m.hset(
      this.keys.study(name),
      studyHashFields({
        directions: this.mirror.getStudyDirections(studyId),
        createdAt: meta.createdAt,
        nextNumber: count,
        best: best ? { number: best.number, value: best.value } : null,
        objective: meta.objective,
        reported,
        epoch: meta.epoch,
        userAttrs: this.mirror.getStudyUserAttrs(studyId),
      }),
    );
    const running: string[] = [];
    let waiting = 0;
    for (const t of trials) {
      const hash = trialToHash(t);
      m.del(this.keys.trial(name, t.number));
      m.hset(this.keys.trial(name, t.number), hash);
      if (isFinished(t.state)) {
        m.del(this.keys.trialValues(name, t.number));
        const values: Record<string, string> = {};
        for (const [step, value] of Object.entries(t.intermediateValues)) Object.assign(values, intermediateValueFields(Number(step), value));
        if (Object.keys(values).length > 0) m.hset(this.keys.trialValues(name, t.number), values);
        this.writtenHashes.delete(t.trialId);
      } else {
        this.writtenHashes.set(t.trialId, hash);
      }
      if (t.state === TrialState.RUNNING) running.push(String(t.number));
      if (t.state === TrialState.WAITING) waiting += 1;
    }
    if (running.length > 0) m.sadd(this.keys.running(name), ...running);
    this.written.set(studyId, { count, best });
    return { trials: trials.length, running: running.length, waiting, nextNumber: count };
  }

  /** Compares the epoch read back from a study's hash with its own; flags the study lost on a mismatch. */
  private noteEpoch(studyName: string, seen: string | null): void {
    const meta = this.studyMeta.get(studyName);
    if (!meta) return;
    if (seen === meta.epoch) {
      meta.confirmed = true;
      return;
    }
    // Before its creation was ever read back, a missing epoch is a creation still on its way.
    if (!meta.confirmed || this.lost.has(studyName)) return;
    const loss: StudyLoss = { how: seen === null ? "missing" : "replaced", detectedAt: Date.now() };
    this.lost.set(studyName, loss);
    for (const listener of this.lostListeners) listener(studyName, loss);
  }

  /**
   * Writes nothing more of the study: its queued writes are dropped and later ones ignored. For a
   * coordinator that lost the study to another (see StudyDataLostError): what it still holds must
   * not land on the other's study.
   */
  abandonStudy(studyName: string): void {
    this.abandoned.add(studyName);
    this.pending = this.pending.filter((w) => w.study !== studyName);
    for (const trialId of this.dirty) if (this.trialStudies.get(trialId)?.name === studyName) this.dirty.delete(trialId);
    this.touchedStudies.delete(studyName);
  }

  private write(run: Write["run"], studyName: string): void {
    if (this.abandoned.has(studyName)) return;
    this.pending.push({ study: studyName, run });
    this.touchedStudies.add(studyName);
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
      if (this.abandoned.has(name)) continue;
      const trial = this.mirror.getTrial(trialId);
      touchedStudies.add(studyId);
      const changed = this.changedFields(trialId, trial);
      this.touchedStudies.add(name);
      this.pending.push({
        study: name,
        run: (m) => {
          if (changed !== null) m.hset(this.keys.trial(name, trial.number), changed);
          if (trial.state === TrialState.RUNNING) m.sadd(this.keys.running(name), String(trial.number));
          else m.srem(this.keys.running(name), String(trial.number));
        },
      });
    }
    for (const studyId of touchedStudies) {
      const name = this.getStudyName(studyId);
      const count = this.mirror.getTrialCount(studyId);
      const best = this.mirror.getBestTrial(studyId);
      const written = this.written.get(studyId) ?? { count: -1, best: null };
      if (count !== written.count) this.pending.push({ study: name, run: (m) => m.hset(this.keys.study(name), trialCountFields(count)) });
      if (best && best !== written.best) {
        this.pending.push({ study: name, run: (m) => m.hset(this.keys.study(name), bestTrialFields(best)) });
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
