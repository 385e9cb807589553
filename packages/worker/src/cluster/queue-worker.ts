import { hostname } from "node:os";
import {
  getLogger,
  judgeTrialEnd,
  MedianPruner,
  outcomeOfError,
  singleValue,
  type Logger,
  type Pruner,
  type TrialOutcome,
} from "@shoal/core";
import {
  connectFirst,
  createRedisConnection,
  logBullMqError,
  objectiveIdOf,
  parsePayload,
  readStudyLease,
  readTrialRunner,
  redactRedisUrl,
  RedisOutageLog,
  ShoalKeys,
  ShutdownBound,
  startTrialJob,
  trialCount,
  trialJobId,
  trialJobSchema,
  WorkerIdClaim,
  WorkerIdTakenError,
  writeIntermediateValue,
  type AnnouncementRefresh,
  type ShutdownCut,
  type TrialJob,
  type TrialResult,
  type WorkerAnnouncement,
} from "@shoal/redis";
import { DelayedError, UnrecoverableError, WaitingError, type Job, type Worker } from "bullmq";
import type { Redis } from "ioredis";
import { TrialRunner } from "../trial-runner.js";
import { CompletedTrialsCache } from "./completed-trials-cache.js";
import { compileQueueWorkerOptions, type CompiledQueueWorkerOptions, type QueueWorkerOptions } from "./queue-worker-options.js";
import { RemoteTrial } from "./remote-trial.js";
import { noStudyError, StrayJobError, strayJobError, studyGoneError } from "./stray-jobs.js";
import { TrialJobWorker } from "./trial-job-worker.js";

export { STUDY_MISSING_GIVE_UP_MS } from "./queue-worker-options.js";

/**
 * A worker takes jobs beyond its free slots (`prefetch`) only while its trials take less than this
 * on average: a job held for a slot then waits at most that long, while a thread that finishes
 * finds its next trial at hand instead of waiting a Redis round trip for it.
 */
const PREFETCH_BELOW_MS = 20;
/** Trials timed before the worker judges their pace. */
const PACE_AFTER_TRIALS = 5;

/**
 * A job whose study hash is missing or partial (Redis lost the study; its coordinator restores it
 * within a second or two) goes back to the queue for this long, and runs once the study is back
 * (for at most STUDY_MISSING_GIVE_UP_MS, see queue-worker-options.ts).
 */
const STUDY_MISSING_RETRY_MS = 1000;
/** Studies this worker remembers having seen in Redis (for studyMayComeBack), at most. */
const SEEN_STUDIES = 10_000;

/**
 * BullMQ's errors for a job whose keys or lock vanished under the worker running it: the job
 * cannot be finished, so its result is dropped (the trial runs again elsewhere).
 */
const JOB_GONE = /^(?:(Missing key)|Missing lock|Lock mismatch|could not renew lock) for job (\S+?)\.?(?:\s|$)/;
/**
 * BullMQ's reason for a job taken back from dead workers more than `maxStalledCount` times: the
 * stalled-job check marks it, and the next worker to take it fails it before running it.
 */
const STALLED_TOO_OFTEN = /^job stalled more than allowable limit$/;
/** Job ids whose vanishing was logged (one line per job), kept at most this many. */
const LOGGED_GONE_JOBS = 1000;

/**
 * A worker's states:
 * - `starting`: connecting, loading the objective module in its threads.
 * - `running`: taking trial jobs, up to `concurrency` at once.
 * - `draining`: SIGTERM or stop(): takes no job, puts its running trials back in the queue.
 * - `stopped`: threads and connections closed, announcement withdrawn.
 */
export type QueueWorkerState = "starting" | "running" | "draining" | "stopped";

/**
 * `shoal worker`: a BullMQ worker whose trial jobs run through the TrialRunner, one thread per
 * trial, never on the event loop (so lock renewal never stalls). It announces itself and its free
 * slots under `<prefix>:worker:<id>` so the coordinator keeps about that many trials queued.
 */
export class QueueWorker {
  state: QueueWorkerState = "starting";
  readonly id: string;
  private readonly o: CompiledQueueWorkerOptions;
  private readonly keys: ShoalKeys;
  private readonly redis: Redis;
  /** The BullMQ Worker's connection: BullMQ never closes a connection it was given, so drain() does. */
  private readonly workerRedis: Redis;
  private readonly logger: Logger;
  private readonly outages: RedisOutageLog;
  private readonly pruner: Pruner;
  private runner: TrialRunner | null = null;
  private worker: Worker | null = null;
  private objectiveId = "";
  /** Moving average of this worker's trial times, for prefetching. */
  private meanTrialMs = 0;
  private trialsTimed = 0;
  private readonly caches = new Map<string, CompletedTrialsCache>();
  private announceTimer: NodeJS.Timeout | null = null;
  /** This process's hold on its id (one live worker per id), taken at start. */
  private claim: WorkerIdClaim | null = null;
  /** Set when another process took this worker's id while it ran: it stopped. */
  private idLost: WorkerIdTakenError | null = null;
  /** When this worker last saw a sign that Redis lost its data (its own announcement vanished). */
  private dataLossSeenAt = Number.NEGATIVE_INFINITY;
  /** Studies whose hash this worker found whole: one that vanishes after was lost, not never made. */
  private readonly seenStudies = new Set<string>();
  private resolveStopped!: () => void;
  /** Settles once the worker stopped, by stop() or by itself (its id taken: see `idTaken`). */
  readonly stopped: Promise<void> = new Promise((resolve) => (this.resolveStopped = resolve));
  private readonly startedAt = new Date().toISOString();
  private stopping: Promise<void> | null = null;
  /** Per study whose hash was found missing: since when its jobs are put back (one episode). */
  private readonly studyMissingSince = new Map<string, number>();
  private readonly loggedGoneJobs = new Set<string>();
  /**
   * Jobs this worker holds: from the processor's start until BullMQ has saved their end in Redis
   * (its "completed" or "failed" event), or until the processor put them back itself. What a stop
   * waits for: a trial whose result is not saved yet is not done.
   */
  private readonly heldJobs = new Set<string>();
  private cut: ShutdownCut | null = null;

  constructor(options: QueueWorkerOptions) {
    this.o = compileQueueWorkerOptions(options);
    this.id = this.o.workerId ?? `${hostname()}-${process.pid}`;
    this.keys = new ShoalKeys(this.o.prefix);
    this.logger = this.o.logger ?? getLogger();
    // An outage of either is logged once, as Redis's (connection-errors.ts).
    this.outages = new RedisOutageLog(this.o.redisUrl, this.logger);
    this.redis = this.outages.watch(createRedisConnection(this.o.redisUrl));
    this.workerRedis = this.outages.watch(createRedisConnection(this.o.redisUrl));
    this.pruner = this.o.pruner ?? new MedianPruner();
  }

  /**
   * Takes this worker's id (WorkerIdTakenError, naming the holder, when another live worker has
   * it), loads the objective in every thread, then starts taking jobs. A start that fails leaves
   * nothing behind: its id is given back and its connections closed.
   */
  async start(): Promise<void> {
    try {
      await this.startUp();
    } catch (error) {
      if (this.announceTimer) clearInterval(this.announceTimer);
      await this.claim?.withdraw().catch(() => undefined);
      await this.runner?.close().catch(() => undefined);
      // A first connection that failed is disconnected already (connectFirst).
      for (const r of [this.redis, this.workerRedis]) if (r.status !== "end") await r.quit().catch(() => undefined);
      this.state = "stopped";
      this.resolveStopped();
      throw error;
    }
  }

  /** The other process that took this worker's id while it ran, which made it stop; null otherwise. */
  get idTaken(): WorkerIdTakenError | null {
    return this.idLost;
  }

  private async startUp(): Promise<void> {
    // The first connection is bounded (--connect-timeout); later outages are waited out.
    await connectFirst([this.redis, this.workerRedis], this.o.redisUrl, this.o.connectTimeoutMs);
    this.objectiveId = await objectiveIdOf(this.o.objectiveModule);
    // Before anything else: a second worker of the same id must not touch the first one's jobs nor its announcement.
    this.claim = await WorkerIdClaim.acquire(this.redis, this.keys, this.announcement());
    // The heartbeat holds the id from now on, however long the objective takes to load.
    this.announceTimer = setInterval(() => this.heartbeat(), 1000);
    this.announceTimer.unref();
    this.runner = new TrialRunner({
      objectiveModule: this.o.objectiveModule,
      threads: this.o.concurrency,
      ...(this.o.trialTimeoutSeconds === undefined ? {} : { trialTimeoutSeconds: this.o.trialTimeoutSeconds }),
      ...(this.o.trialMemoryMb === undefined ? {} : { trialMemoryMb: this.o.trialMemoryMb }),
    });
    await this.runner.check();
    this.worker = new TrialJobWorker(this.o.queue, (job, token) => this.process(job, token), {
      connection: this.workerRedis,
      prefix: this.o.prefix,
      concurrency: this.o.concurrency,
      // BullMQ records it in each job it hands out (`pb`): how `shoal status` tells who runs a trial.
      name: this.id,
      lockDuration: this.o.lockDurationMs,
      stalledInterval: this.o.stalledIntervalMs,
      maxStalledCount: this.o.maxStalledCount,
      autorun: false,
    });
    this.worker.on("completed", (job) => this.heldJobs.delete(job.id ?? "?"));
    this.worker.on("failed", (job, error) => {
      if (job) this.heldJobs.delete(job.id ?? "?");
      if (error instanceof StrayJobError) {
        const { jobId, studyName: study, trialNumber: number, reason } = error;
        this.logger.error({ event: "job_refused", jobId, study, number, stray: reason, reason: error.message }, `Job ${jobId} refused: ${error.message}`);
      } else if (job && STALLED_TOO_OFTEN.test(error.message)) {
        void this.noteStalledTooOften(job).catch(() => undefined);
      } else if (error instanceof UnrecoverableError || error.name === "UnrecoverableError") {
        this.logger.error({ event: "job_refused", jobId: job?.id, reason: error.message }, `Job ${job?.id ?? "?"} refused: ${error.message}`);
      }
    });
    this.worker.on("error", (error) => {
      // While Redis is down, BullMQ reports each reconnection attempt: the outage is logged once already.
      if (this.outages.down || this.redis.status !== "ready") return;
      // After an outage longer than the lock duration, a job's lock has expired and the stalled
      // check has taken the trial back; after Redis lost its data, the job's keys are gone and the
      // coordinator enqueues the trial again. Either way the trial runs again: one line per job.
      const gone = JOB_GONE.exec(error.message);
      if (gone) {
        this.noteJobGone(gone[2] as string, gone[1] !== undefined);
        return;
      }
      logBullMqError(this.logger, "Worker", error);
    });
    this.state = "running";
    await this.announce();
    void this.worker.run();
    this.logger.info(
      {
        event: "worker_started",
        worker: this.id,
        redis: redactRedisUrl(this.o.redisUrl),
        prefix: this.keys.prefix,
        queue: this.o.queue,
        concurrency: this.o.concurrency,
        objective: this.objectiveId,
      },
      // Where it listens, as the coordinator's first line says where it enqueues: the two must match.
      `Worker ${this.id} started: ${this.o.concurrency} slot(s) on queue "${this.o.queue}" (prefix "${this.keys.prefix}") ` +
        `at ${redactRedisUrl(this.o.redisUrl)} for ${this.objectiveId}`,
    );
  }

  /** Set when stop() was cut short (see shutdownGraceMs): why, and how many trials it left for recovery. */
  get cutShort(): ShutdownCut | null {
    return this.cut;
  }

  /**
   * Stops taking jobs, puts running trials back in the queue at once (no attempt used: they were
   * not the trial's fault), closes threads and connections. Bounded: see shutdownGraceMs.
   */
  stop(): Promise<void> {
    this.stopping ??= this.boundedDrain();
    return this.stopping;
  }

  /**
   * drain() talks to Redis at every step, and while Redis is down each step waits in the offline
   * queue: raced against a ShutdownBound, which gives up at once when Redis is unreachable and no
   * job is held, else once the grace runs out.
   */
  private async boundedDrain(): Promise<void> {
    const bound = new ShutdownBound({ graceMs: this.o.shutdownGraceMs, outages: this.outages, running: () => this.heldJobs.size });
    const drained = this.drain();
    const cut = await Promise.race([drained.then(() => null), bound.cut]);
    bound.cancel();
    if (cut === null) return;
    drained.catch(() => undefined); // abandoned: its awaits reject as the connections drop
    this.cut = cut;
    this.state = "stopped";
    if (this.announceTimer) clearInterval(this.announceTimer);
    const held = this.heldJobs.size;
    // Terminates the trial threads (their results could not be saved anyway); BullMQ's own blocking
    // connection is closed with the Worker, not waited for.
    void this.runner?.close().catch(() => undefined);
    void this.worker?.close(true).catch(() => undefined);
    this.redis.disconnect();
    this.workerRedis.disconnect();
    const where = redactRedisUrl(this.o.redisUrl);
    this.logger.warn(
      { event: "worker_cut_short", worker: this.id, reason: cut.reason, left: held, redisDown: cut.redisDown },
      cut.reason === "unreachable"
        ? `Worker ${this.id} stopped at once: Redis at ${where} is unreachable and it held no trial.`
        : `Worker ${this.id} stopped after its shutdown grace (--shutdown-grace ${cut.graceMs / 1000} s)` +
          `${cut.redisDown ? ` with Redis at ${where} unreachable` : ""}: ${trialCount(held)} left for recovery ` +
          "(taken back by another worker once the lock runs out, after --lock-duration).",
    );
    this.resolveStopped();
  }

  private async drain(): Promise<void> {
    this.state = "draining";
    if (this.idLost === null) await this.announce().catch(() => undefined);
    await this.worker?.pause(true);
    // Closing the runner rejects the runs in flight and those waiting for a thread (prefetched);
    // their processors move the jobs back to wait.
    await this.runner?.close();
    await this.worker?.close();
    if (this.announceTimer) clearInterval(this.announceTimer);
    if (this.cut) return;
    this.state = "stopped";
    await this.claim?.withdraw().catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
    await this.workerRedis.quit().catch(() => undefined);
    if (this.cut) return;
    this.logger.info({ event: "worker_stopped", worker: this.id }, `Worker ${this.id} stopped.`);
    this.resolveStopped();
  }

  private async process(job: Job, token?: string): Promise<TrialResult> {
    const id = job.id ?? "?";
    this.heldJobs.add(id);
    try {
      return await this.processHeld(job, token);
    } catch (error) {
      // Put back by the processor itself (moveToWait, moveToDelayed): no longer this worker's.
      if (error instanceof WaitingError || error instanceof DelayedError) this.heldJobs.delete(id);
      throw error;
    }
  }

  private async processHeld(job: Job, token?: string): Promise<TrialResult> {
    let data: TrialJob;
    try {
      data = parsePayload(`trial job ${job.id ?? "?"}`, trialJobSchema, job.data);
    } catch (error) {
      throw new UnrecoverableError((error as Error).message);
    }
    if (data.objective !== null && data.objective !== this.objectiveId) {
      throw new UnrecoverableError(
        `Job ${job.id ?? "?"} is for the objective ${data.objective}, but this worker runs ${this.objectiveId}; ` +
          `start a worker with that objective module.`,
      );
    }
    // The announcement's free count is refreshed by its timer: a write per job would cost more than the coordinator gains.
    return this.runTrial(job, token, data);
  }

  /**
   * Holds `prefetch` jobs beyond the slots while trials are short (see PREFETCH_BELOW_MS), none
   * while they are long, through BullMQ's runtime `concurrency`.
   */
  private notePace(ms: number): void {
    this.trialsTimed += 1;
    this.meanTrialMs = this.trialsTimed === 1 ? ms : this.meanTrialMs + 0.2 * (ms - this.meanTrialMs);
    const short = this.trialsTimed >= PACE_AFTER_TRIALS && this.meanTrialMs < PREFETCH_BELOW_MS;
    const concurrency = this.o.concurrency + (short ? this.o.prefetch : 0);
    if (this.worker && this.state === "running" && this.worker.concurrency !== concurrency) this.worker.concurrency = concurrency;
  }

  private async runTrial(job: Job, token: string | undefined, data: TrialJob): Promise<TrialResult> {
    const jobId = job.id ?? "?";
    // One round trip: the study and the trial as they are now (not as cached), and this worker
    // written as the trial's runner, which tells it whom a stalled trial was taken back from.
    const start = await startTrialJob(this.redis, this.keys, {
      study: data.study,
      number: data.number,
      worker: this.id,
      stalls: job.stalledCounter,
      claim: jobId === trialJobId(data.study, data.number),
    });
    const cache = this.cacheFor(data.study);
    if (start.study === "present") await cache.refresh();
    // A hash the cache cannot parse is as good as lost: its coordinator writes it back whole.
    if (start.study === "partial" || (start.study === "present" && cache.studyMissing)) return this.putBackForMissingStudy(job, token, data);
    if (start.study === "absent") {
      // Once its jobs wait, a study is waited for until the give-up window ends (then refused as gone).
      if (!this.studyMissingSince.has(data.study) && !(await this.studyMayComeBack(data.study))) throw noStudyError(jobId, data, this.keys.prefix);
      return this.putBackForMissingStudy(job, token, data);
    }
    this.noteStudyPresent(data.study);
    const stray = strayJobError(jobId, data, start);
    if (stray) throw stray;
    if (start.takenFrom) this.noteTakenBack(jobId, data, start.takenFrom, job.stalledCounter);
    const trial = new RemoteTrial(data, this.pruner, cache.view(data.directions ?? [data.direction]), (step, value) => {
      void writeIntermediateValue(this.redis, this.keys, data.study, data.number, step, value).catch(() => undefined);
      void cache.noteReport().catch(() => undefined);
    });
    let outcome: TrialOutcome;
    try {
      // A job taken ahead of a free thread (prefetched) waits in the runner: its trial starts when a thread takes it.
      outcome = { kind: "value", value: await (this.runner as TrialRunner).run(trial, () => trial.markStarted()) };
    } catch (error) {
      if (this.state === "draining" && token !== undefined) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      outcome = outcomeOfError(error);
    }
    const end = judgeTrialEnd(outcome, trial.intermediateValues, data.directions?.length ?? 1);
    const complete = new Date();
    this.notePace(complete.getTime() - trial.datetimeStart.getTime());
    return {
      v: 1,
      study: data.study,
      number: data.number,
      worker: this.id,
      datetimeStart: trial.datetimeStart.toISOString(),
      state: end.state,
      value: singleValue(end.values),
      values: end.values === null ? null : [...end.values],
      params: { ...trial.params },
      distributions: { ...trial.distributions },
      userAttrs: { ...trial.userAttrs },
      intermediateValues: Object.fromEntries(Object.entries(trial.intermediateValues).filter(([, v]) => Number.isFinite(v))),
      failReason: end.failReason,
      prunedMessage: end.prunedMessage,
      datetimeComplete: complete.toISOString(),
    };
  }

  /**
   * A job's study has no hash at all: was it lost (Redis lost its data; its coordinator restores
   * it within a second or two, and the job must wait for that) or never there (a job written by
   * hand, under the wrong prefix, or for a study deleted for good: refused at once)? A job cannot
   * tell: it is data, and a replayed one carries what the original did. So the rule is on signs
   * of a loss, any of which makes the job wait (up to the give-up window, then refused):
   * - this worker found the study whole before (it vanished since);
   * - a coordinator holds the study's lease (it restores the study once it sees it lost);
   * - this worker's own announcement vanished before its TTL ran out, now or within the give-up
   *   window: Redis lost its data (a FLUSHALL, a restart without persistence, a failover to an
   *   empty replica takes the announcement with the study).
   * With none of them, the study never existed here (or was deleted): its jobs are stray.
   * A study whose hash is partial is always waited for: only writes after a loss make one.
   */
  private async studyMayComeBack(study: string): Promise<boolean> {
    if (this.seenStudies.has(study)) return true;
    if (Date.now() - this.dataLossSeenAt <= this.o.lostStudyWaitMs) return true;
    const [lease, announced] = await Promise.all([
      readStudyLease(this.redis, this.keys, study),
      (this.claim as WorkerIdClaim).isAnnounced(),
    ]);
    if (!announced) this.noteDataLossSign("its announcement has vanished from Redis");
    return lease !== null || !announced;
  }

  /**
   * The job's study hash is missing or partial (Redis lost it): the trial is not run, nor failed,
   * but put back in the queue for STUDY_MISSING_RETRY_MS, until its coordinator has restored the
   * study; logged once per study and episode. After `lostStudyWaitMs` of it, refused.
   */
  private async putBackForMissingStudy(job: Job, token: string | undefined, data: TrialJob): Promise<never> {
    const { study } = data;
    const now = Date.now();
    const since = this.studyMissingSince.get(study);
    const giveUpMs = this.o.lostStudyWaitMs;
    if (since === undefined) {
      this.studyMissingSince.set(study, now);
      this.logger.warn(
        { event: "study_missing", study, jobId: job.id, number: data.number },
        `Study "${study}" is missing or incomplete in Redis (did Redis lose its data?): its jobs go back to the queue, ` +
          `a second at a time, until its coordinator restores it (at most ${giveUpMs / 1000} s).`,
      );
    } else if (now - since >= giveUpMs) {
      throw studyGoneError(job.id ?? "?", data, now - since);
    }
    if (token === undefined) throw new UnrecoverableError(`Job ${job.id ?? "?"} of the missing study "${study}" has no lock token to put it back with.`);
    await job.moveToDelayed(now + STUDY_MISSING_RETRY_MS, token);
    throw new DelayedError();
  }

  /** The study's hash is there: ends an episode of putting its jobs back. */
  private noteStudyPresent(study: string): void {
    if (!this.seenStudies.has(study)) {
      if (this.seenStudies.size >= SEEN_STUDIES) this.seenStudies.clear();
      this.seenStudies.add(study);
    }
    const since = this.studyMissingSince.get(study);
    if (since === undefined) return;
    this.studyMissingSince.delete(study);
    this.logger.info(
      { event: "study_back", study, ms: Date.now() - since },
      `Study "${study}" is back in Redis after ${((Date.now() - since) / 1000).toFixed(1)} s: its jobs run again.`,
    );
  }

  /**
   * The trial's job stalled since `from` took it: BullMQ's stalled-job check took it back from
   * that worker (dead, or it stopped renewing its lock) and this one runs it again. Logged here,
   * once: startTrialJob hands the previous runner to the one worker that takes the job next.
   */
  private noteTakenBack(jobId: string, data: TrialJob, from: { worker: string }, stalls: number): void {
    this.logger.warn(
      { event: "trial_taken_back", jobId, study: data.study, number: data.number, from: from.worker, worker: this.id, stalls },
      `Trial ${data.number} of study "${data.study}" was taken back from worker ${from.worker} (it died, or stopped renewing ` +
        `its lock for --lock-duration) and runs again on worker ${this.id} (taken back ${stalls} time(s); --max-stalled ${this.o.maxStalledCount}).`,
    );
  }

  /**
   * The last take-back of a trial, the one past --max-stalled: BullMQ fails its job (the
   * coordinator records the trial FAIL), so no worker runs it again to log it in noteTakenBack:
   * this worker, which failed it, logs it once, with the worker it was taken back from.
   */
  private async noteStalledTooOften(job: Job): Promise<void> {
    const parsed = trialJobSchema.safeParse(job.data);
    if (!parsed.success) return;
    const { study, number } = parsed.data;
    const from = (await readTrialRunner(this.redis, this.keys, study, number)) ?? "?";
    this.logger.warn(
      { event: "trial_taken_back", jobId: job.id, study, number, from, worker: this.id, stalls: job.stalledCounter, final: true },
      `Trial ${number} of study "${study}" was taken back from worker ${from} (it died, or stopped renewing its lock for ` +
        `--lock-duration) once more than --max-stalled allows (taken back ${job.stalledCounter} time(s)): it FAILs, and is not run again.`,
    );
  }

  /** One line per job whose keys (`keysGone`) or lock vanished under this worker: its result is dropped, the trial runs again. */
  private noteJobGone(jobId: string, keysGone: boolean): void {
    if (this.loggedGoneJobs.has(jobId)) return;
    if (this.loggedGoneJobs.size >= LOGGED_GONE_JOBS) this.loggedGoneJobs.clear();
    this.loggedGoneJobs.add(jobId);
    this.logger.warn(
      { event: keysGone ? "job_gone" : "job_lock_lost", jobId },
      keysGone
        ? `Job ${jobId}: its keys vanished from Redis (did Redis lose its data?), so this run's result cannot be saved; its coordinator enqueues the trial again and it runs again.`
        : `Job ${jobId}: its lock is gone (Redis was unreachable for longer than --lock-duration, or lost its data); the trial was taken back and runs again, this run's result is dropped.`,
    );
  }

  private cacheFor(studyName: string): CompletedTrialsCache {
    let cache = this.caches.get(studyName);
    if (!cache) {
      cache = new CompletedTrialsCache(this.redis, this.keys, studyName);
      this.caches.set(studyName, cache);
    }
    return cache;
  }

  /** What this worker says of itself now. */
  private announcement(): Omit<WorkerAnnouncement, "claim"> {
    return {
      id: this.id,
      host: hostname(),
      pid: process.pid,
      queue: this.o.queue,
      objective: this.objectiveId,
      slots: this.o.concurrency,
      free: this.state === "running" ? Math.max(0, this.o.concurrency - (this.runner?.busy ?? 0)) : 0,
      startedAt: this.startedAt,
      state: this.state,
    };
  }

  private async announce(): Promise<AnnouncementRefresh> {
    return (this.claim as WorkerIdClaim).refresh(this.announcement());
  }

  /**
   * Refreshes the announcement. One that had vanished before its TTL ran out is a sign that Redis
   * lost its data (or was unreachable for longer than the TTL): noted for studyMayComeBack. One
   * that another process holds now means two workers share this id: this one stops.
   */
  private heartbeat(): void {
    if (this.idLost !== null || this.state === "stopped") return;
    this.announce().then(
      (how) => {
        if (how === "recreated") this.noteDataLossSign("its announcement had vanished from Redis before its TTL ran out");
      },
      (error: unknown) => {
        // Redis unreachable: the next beat tries again; the TTL covers short outages.
        if (!(error instanceof WorkerIdTakenError) || this.idLost !== null) return;
        this.idLost = error;
        this.logger.error({ event: "worker_id_taken", worker: this.id, holder: error.holder }, error.message);
        void this.stop();
      },
    );
  }

  private noteDataLossSign(why: string): void {
    const first = Date.now() - this.dataLossSeenAt > this.o.lostStudyWaitMs;
    this.dataLossSeenAt = Date.now();
    if (first) {
      this.logger.warn(
        { event: "redis_data_loss_sign", worker: this.id },
        `Worker ${this.id}: ${why} (Redis lost its data, or was unreachable for longer than ${this.claim?.ttlMs ?? 0} ms); ` +
          `for ${this.o.lostStudyWaitMs / 1000} s, jobs of a missing study wait for their coordinator to restore it.`,
      );
    }
  }
}
