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
  createRedisConnection,
  logConnectionOutages,
  objectiveIdOf,
  parsePayload,
  redactRedisUrl,
  ShoalKeys,
  trialJobSchema,
  withdrawWorker,
  writeIntermediateValue,
  type TrialJob,
  type TrialResult,
  type WorkerAnnouncement,
} from "@shoal/redis";
import { UnrecoverableError, WaitingError, type Job, type Worker } from "bullmq";
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

  constructor(options: QueueWorkerOptions) {
    this.o = compileQueueWorkerOptions(options);
    this.id = this.o.workerId ?? `${hostname()}-${process.pid}`;
    this.keys = new ShoalKeys(this.o.prefix);
    this.redis = createRedisConnection(this.o.redisUrl);
    this.workerRedis = createRedisConnection(this.o.redisUrl);
    this.logger = this.o.logger ?? getLogger();
    logConnectionOutages(this.redis, this.logger, `Worker ${this.id}`);
    this.pruner = this.o.pruner ?? new MedianPruner();
  }

  /** Loads the objective in every thread, then starts taking jobs. */
  async start(): Promise<void> {
    this.objectiveId = await objectiveIdOf(this.o.objectiveModule);
    this.runner = new TrialRunner({
      objectiveModule: this.o.objectiveModule,
      threads: this.o.concurrency,
      ...(this.o.trialTimeoutSeconds === undefined ? {} : { trialTimeoutSeconds: this.o.trialTimeoutSeconds }),
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
      if (this.redis.status !== "ready") return;
      // After an outage longer than the lock duration, a job's lock has expired and the stalled
      // check has taken the trial back: expected, and its result is not lost (the trial re-runs).
      const lockLost = /^Missing lock for job (\S+)\./.exec(error.message);
      if (lockLost) {
        this.logger.warn(
          { event: "job_lock_lost", jobId: lockLost[1] },
          `Job ${lockLost[1]}: its lock expired (Redis was unreachable for longer than --lock-duration); the trial was taken back and runs again.`,
        );
        return;
      }
      this.logger.warn({ event: "worker_error", err: error }, `Worker: ${error.message}`);
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
