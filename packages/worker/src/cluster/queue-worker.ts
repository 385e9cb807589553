import { hostname } from "node:os";
import {
  getLogger,
  judgeTrialEnd,
  MedianPruner,
  outcomeOfError,
  type Logger,
  type Pruner,
  type TrialOutcome,
} from "@shoal/core";
import {
  announceWorker,
  connectFirst,
  createRedisConnection,
  logBullMqError,
  objectiveIdOf,
  parsePayload,
  redactRedisUrl,
  RedisOutageLog,
  ShoalKeys,
  trialJobSchema,
  withdrawWorker,
  writeIntermediateValue,
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
import { TrialJobWorker } from "./trial-job-worker.js";

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
 * within a second or two) goes back to the queue for this long, and runs once the study is back.
 */
const STUDY_MISSING_RETRY_MS = 1000;
/**
 * After this long of putting back a study's jobs, the study is taken for gone (no coordinator
 * restores it) and its jobs are refused as failed, with a reason that names it.
 */
export const STUDY_MISSING_GIVE_UP_MS = 60_000;

/**
 * BullMQ's errors for a job whose keys or lock vanished under the worker running it: the job
 * cannot be finished, so its result is dropped (the trial runs again elsewhere).
 */
const JOB_GONE = /^(?:(Missing key)|Missing lock|Lock mismatch|could not renew lock) for job (\S+?)\.?(?:\s|$)/;
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
  private readonly startedAt = new Date().toISOString();
  private stopping: Promise<void> | null = null;
  /** Per study whose hash was found missing: since when its jobs are put back (one episode). */
  private readonly studyMissingSince = new Map<string, number>();
  private readonly loggedGoneJobs = new Set<string>();

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

  /** Loads the objective in every thread, then starts taking jobs. */
  async start(): Promise<void> {
    // The first connection is bounded (--connect-timeout); later outages are waited out.
    await connectFirst([this.redis, this.workerRedis], this.o.redisUrl, this.o.connectTimeoutMs);
    this.objectiveId = await objectiveIdOf(this.o.objectiveModule);
    this.runner = new TrialRunner({
      objectiveModule: this.o.objectiveModule,
      threads: this.o.concurrency,
      ...(this.o.trialTimeoutSeconds === undefined ? {} : { trialTimeoutSeconds: this.o.trialTimeoutSeconds }),
      ...(this.o.trialMemoryMb === undefined ? {} : { trialMemoryMb: this.o.trialMemoryMb }),
    });
    await this.runner.check();
    await this.announce();
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
    this.worker.on("failed", (job, error) => {
      if (error instanceof UnrecoverableError || error.name === "UnrecoverableError") {
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
    this.announceTimer = setInterval(() => void this.announce().catch(() => undefined), 1000);
    this.announceTimer.unref();
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

  /**
   * Stops taking jobs, puts running trials back in the queue at once (no attempt used: they were
   * not the trial's fault), closes threads and connections.
   */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  private async drain(): Promise<void> {
    this.state = "draining";
    await this.announce().catch(() => undefined);
    await this.worker?.pause(true);
    // Closing the runner rejects the runs in flight and those waiting for a thread (prefetched);
    // their processors move the jobs back to wait.
    await this.runner?.close();
    await this.worker?.close();
    if (this.announceTimer) clearInterval(this.announceTimer);
    this.state = "stopped";
    await withdrawWorker(this.redis, this.keys, this.id).catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
    await this.workerRedis.quit().catch(() => undefined);
    this.logger.info({ event: "worker_stopped", worker: this.id }, `Worker ${this.id} stopped.`);
  }

  private async process(job: Job, token?: string): Promise<TrialResult> {
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
    const cache = this.cacheFor(data.study);
    await cache.refresh();
    if (cache.studyMissing) return this.putBackForMissingStudy(job, token, data.study);
    this.noteStudyPresent(data.study);
    const trial = new RemoteTrial(data, this.pruner, cache.view(data.direction), (step, value) => {
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
    const end = judgeTrialEnd(outcome, trial.intermediateValues);
    const complete = new Date();
    this.notePace(complete.getTime() - trial.datetimeStart.getTime());
    return {
      v: 1,
      study: data.study,
      number: data.number,
      worker: this.id,
      datetimeStart: trial.datetimeStart.toISOString(),
      state: end.state,
      value: end.value,
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
   * The job's study hash is missing or partial (Redis lost it): the trial is not run, nor failed,
   * but put back in the queue for STUDY_MISSING_RETRY_MS, until its coordinator has restored the
   * study; logged once per study and episode. After STUDY_MISSING_GIVE_UP_MS of it, refused.
   */
  private async putBackForMissingStudy(job: Job, token: string | undefined, study: string): Promise<never> {
    const now = Date.now();
    const since = this.studyMissingSince.get(study);
    if (since === undefined) {
      this.studyMissingSince.set(study, now);
      this.logger.warn(
        { event: "study_missing", study },
        `Study "${study}" is missing or incomplete in Redis (did Redis lose its data?): its jobs go back to the queue, ` +
          `a second at a time, until its coordinator restores it (at most ${STUDY_MISSING_GIVE_UP_MS / 1000} s).`,
      );
    } else if (now - since >= STUDY_MISSING_GIVE_UP_MS) {
      throw new UnrecoverableError(
        `Study "${study}" has been missing or incomplete in Redis for ${Math.round((now - since) / 1000)} s: no coordinator ` +
          `restored it (was it deleted, or did Redis lose it with nobody coordinating it?). Start its coordinator, or remove its jobs.`,
      );
    }
    if (token === undefined) throw new UnrecoverableError(`Job ${job.id ?? "?"} of the missing study "${study}" has no lock token to put it back with.`);
    await job.moveToDelayed(now + STUDY_MISSING_RETRY_MS, token);
    throw new DelayedError();
  }

  /** The study's hash is there: ends an episode of putting its jobs back. */
  private noteStudyPresent(study: string): void {
    const since = this.studyMissingSince.get(study);
    if (since === undefined) return;
    this.studyMissingSince.delete(study);
    this.logger.info(
      { event: "study_back", study, ms: Date.now() - since },
      `Study "${study}" is back in Redis after ${((Date.now() - since) / 1000).toFixed(1)} s: its jobs run again.`,
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

  private async announce(): Promise<void> {
    const a: WorkerAnnouncement = {
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
    await announceWorker(this.redis, this.keys, a, 5000);
  }
}
