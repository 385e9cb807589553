import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { getLogger, ProgressBar, TrialState, type Logger, type Study } from "@shoal/core";
import {
  connectFirst,
  createRedisConnection,
  createStudy,
  listWorkers,
  isConnectionFailure,
  parsePayload,
  readStudyLease,
  redactRedisUrl,
  RedisOutageLog,
  RedisStorage,
  ShoalKeys,
  ShutdownBound,
  ShutdownCutShortError,
  trialCount,
  type ShutdownCut,
  StudyDataLostError,
  StudyLease,
  StudyLeaseError,
  trialJobId,
  trialResultSchema,
  type TrialResult,
} from "@shoal/redis";
import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { compileCoordinatorOptions, type CompiledCoordinatorOptions, type CoordinatorOptions } from "./coordinator-options.js";
import { enqueueTrials } from "./enqueue-trials.js";
import { DEFAULT_READ_INTERVAL_MS, JobOutcomeReader } from "./job-outcomes.js";
import { jobFailureReason, recordJobFailure, recordResult } from "./record-result.js";
import { proposeTrial, storedProposal, trialJobData, type Proposal } from "./trial-job.js";

const JOB_OPTIONS: JobsOptions = {
  attempts: 1,
  // Kept a day so a coordinator restarted after a result came in still finds it.
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Trials that count toward the budget (all but WAITING) and RUNNING ones, from the storage's counts. */
function countTrials(study: Study): { used: number; running: number } {
  const counts = study.storage.countTrialsByState(study.studyId);
  return { used: counts.RUNNING + counts.COMPLETE + counts.PRUNED + counts.FAIL, running: counts.RUNNING };
}

/** Trials queued beyond the workers' slots, so a freed slot never waits for the coordinator. */
const QUEUE_AHEAD = 2;
/**
 * Queued trials when the sampler ignores the history (random search), per worker slot and at
 * least: sampling early costs such a sampler nothing, and a queue that holds what the workers
 * finish between two of the coordinator's reads of results (see JobOutcomeReader) and the
 * transaction that replaces them never runs dry. Shallower queues measured up to a fifth slower.
 */
const HISTORY_FREE_AHEAD_PER_SLOT = 8;
const HISTORY_FREE_MIN_AHEAD = 48;

/** Running trials checked against their jobs at once when reconciling. */
const RECONCILE_AT_ONCE = 64;

/**
 * How often the coordinator reads its study's epoch back while it writes nothing (every flush
 * reads it with its writes), so that a study Redis lost is seen within about this long.
 */
const STUDY_CHECK_INTERVAL_MS = 1000;

/** A shutdown cut short still flushes and gives its lease back when Redis answers, for at most this long. */
const CUT_SHORT_CLOSE_MS = 2000;

type Finished = { jobId: string; result: unknown } | { jobId: string; failedReason: string };

/**
 * The coordinator's states:
 * - `starting`: connecting, taking the study lease, loading the study, reconciling running trials.
 * - `running`: asking the sampler and enqueueing as workers free up, recording results.
 * - `draining`: the budget is spent (or the timeout passed): only waiting for running trials.
 * - `stopped`: lease released, connections closed.
 */
export type CoordinatorState = "starting" | "running" | "draining" | "stopped";

/**
 * Runs a study on the cluster until its budget is spent and no trial is still running: the one
 * loop `ask -> enqueue -> record`, with workers anywhere running the jobs. Resumes a study that a
 * previous coordinator left: finished trials are kept, running ones are awaited or re-enqueued.
 */
export async function runCoordinator(options: CoordinatorOptions): Promise<Study> {
  const o = compileCoordinatorOptions(options);
  const coordinator = new Coordinator(o);
  // Only a stop asked for from outside is bounded: a lost lease still waits for its running trials.
  const interrupt = (): void => {
    coordinator.stop();
    coordinator.boundShutdown();
  };
  o.signal?.addEventListener("abort", interrupt, { once: true });
  if (o.signal?.aborted) interrupt();
  try {
    return await coordinator.runBounded();
  } finally {
    await coordinator.close();
  }
}

class Coordinator {
  state: CoordinatorState = "starting";
  private readonly keys: ShoalKeys;
  /** Storage, lease, worker reads and the enqueueing MULTI: of BullMQ's scripts only the job insert is defined on it, so its MULTIs stay cheap. */
  private readonly redis: Redis;
  /** The Queue's: BullMQ defines its ~50 scripts on it, which every pipeline made on it copies. */
  private readonly queueRedis: Redis;
  private readonly eventsRedis: Redis;
  private readonly storage: RedisStorage;
  private readonly logger: Logger;
  private readonly outages: RedisOutageLog;
  private queue: Queue | null = null;
  private outcomes: JobOutcomeReader | null = null;
  private lease: StudyLease | null = null;
  private readonly finished: Finished[] = [];
  private wake: (() => void) | null = null;
  private totalSlots = 0;
  private slotsReadAt = 0;
  private stopRequested = false;
  /** The study stopped early, and took back its queued trials unless its lease was lost: done once. */
  private withdrew = false;
  private studyCheckedAt = 0;
  private study: Study | null = null;
  /** Trials the workers said they run (slots - free, all of this queue's workers), at the last read. */
  private busySlots = 0;
  private bound: ShutdownBound | null = null;
  /** Set when the shutdown was cut short: close() then disconnects rather than wait on Redis. */
  private cut: ShutdownCut | null = null;
  private rejectCut!: (error: Error) => void;
  private readonly cutShort = new Promise<never>((_, reject) => (this.rejectCut = reject));

  constructor(private readonly o: CompiledCoordinatorOptions) {
    this.keys = new ShoalKeys(o.prefix);
    this.logger = o.logger ?? getLogger();
    // An outage of any of the three is logged once, as Redis's (connection-errors.ts).
    this.outages = new RedisOutageLog(o.redisUrl, this.logger);
    this.redis = this.outages.watch(createRedisConnection(o.redisUrl));
    this.queueRedis = this.outages.watch(createRedisConnection(o.redisUrl));
    this.eventsRedis = this.outages.watch(createRedisConnection(o.redisUrl));
    this.storage = new RedisStorage(this.redis, this.keys, o.redisUrl);
    // A flush that finds the study lost wakes the loop, which restores it (keepStudy).
    this.storage.onStudyLost(() => this.wake?.());
  }

  /** Asks the loop to enqueue nothing more and finish once running trials are recorded. */
  stop(): void {
    this.stopRequested = true;
    this.wake?.();
  }

  /**
   * Bounds the stop: gives up on the running trials when the grace (shutdownGraceMs) runs out, or
   * at once when Redis is unreachable and no worker runs one (ShutdownBound); runBounded then
   * rejects with ShutdownCutShortError, whose message says what was left for recovery.
   */
  boundShutdown(): void {
    if (this.bound || this.state === "stopped") return;
    this.bound = new ShutdownBound({ graceMs: this.o.shutdownGraceMs, outages: this.outages, running: () => this.trialsOnWorkers() });
    void this.bound.cut.then((cut) => {
      this.cut = cut;
      this.rejectCut(new ShutdownCutShortError(cut, this.cutShortMessage(cut)));
    });
  }

  /**
   * The trials a stopping coordinator waits for: its RUNNING ones that workers run. A RUNNING trial
   * only queued needs no coordinator (its job waits in Redis for the next one), and which are
   * queued cannot be asked while Redis is down, so the workers' last announced busy slots bound
   * it. Stale, that can only make the coordinator leave early a trial the next one records.
   */
  private trialsOnWorkers(): number {
    return this.study === null ? 0 : Math.min(countTrials(this.study).running, this.busySlots);
  }

  private cutShortMessage(cut: ShutdownCut): string {
    const name = this.o.studyName;
    const running = this.study === null ? 0 : countTrials(this.study).running;
    const resume = `run the same shoal optimize again to resume study "${name}"`;
    if (cut.reason === "unreachable") {
      return (
        `Interrupted while Redis at ${redactRedisUrl(this.o.redisUrl)} is unreachable and no worker runs a trial of study "${name}": ` +
        `exiting now; ${trialCount(running)} left for recovery (queued, their jobs stay in Redis); ${resume}.`
      );
    }
    return (
      `Shutdown grace (--shutdown-grace ${cut.graceMs / 1000} s) ran out${cut.redisDown ? ` with Redis at ${redactRedisUrl(this.o.redisUrl)} unreachable` : ""}: ` +
      `exiting with ${trialCount(running)} of study "${name}" still RUNNING, left for recovery; ${resume}, which records ` +
      `their results as their workers return them (a worker that died meanwhile has its trial run again).`
    );
  }

  /** run(), raced against the bound of a stop (boundShutdown). */
  async runBounded(): Promise<Study> {
    const loop = this.run();
    // Cut short, the loop is abandoned: its awaits reject once close() disconnects, unheard.
    loop.catch(() => undefined);
    return Promise.race([loop, this.cutShort]);
  }

  async run(): Promise<Study> {
    const o = this.o;
    // The first connection is bounded (--connect-timeout); later outages are waited out.
    await connectFirst([this.redis, this.queueRedis, this.eventsRedis], o.redisUrl, o.connectTimeoutMs);
    const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.lease = await StudyLease.acquire(this.redis, this.keys, o.studyName, holder, {
      ttlMs: o.leaseTtlMs,
      waitMs: o.leaseWaitMs,
      onLost: () => this.stop(),
    });
    const study = await createStudy({
      storage: this.storage,
      studyName: o.studyName,
      loadIfExists: true,
      ...(o.direction ? { direction: o.direction } : {}),
      ...(o.directions ? { directions: o.directions } : {}),
      ...(o.sampler ? { sampler: o.sampler } : {}),
      ...(o.pruner ? { pruner: o.pruner } : {}),
      ...(o.logger ? { logger: o.logger } : {}),
    });
    this.study = study;
    if (o.objectiveId) await this.storage.setStudyObjective(o.studyName, o.objectiveId);

    this.queue = new Queue(o.queue, { connection: this.queueRedis, prefix: o.prefix });
    this.queue.on("error", (error) => this.onQueueError(error));
    this.outcomes = new JobOutcomeReader(
      this.eventsRedis,
      this.keys.queueEvents(o.queue),
      `${o.studyName}.`,
      (outcome) => this.push("returnvalue" in outcome ? { jobId: outcome.jobId, result: outcome.returnvalue } : outcome),
      // Results in batches only where the deep queue hides the wait; a sampler that learns from
      // them gets each one at once, so its next trial is sampled with it.
      study.sampler.ignoresHistory ? DEFAULT_READ_INTERVAL_MS : 0,
    );
    await this.outcomes.start();

    const deadline = o.timeoutMs === null ? Number.POSITIVE_INFINITY : Date.now() + o.timeoutMs;
    const startedWith = countTrials(study).used;
    const bar = o.showProgressBar
      ? new ProgressBar(Math.max(0, o.trialBudget - startedWith), o.timeoutMs === null ? null : o.timeoutMs / 1000, () => study.progressDescription())
      : null;
    const tick = () => bar?.tick();

    this.state = "running";
    await this.reconcile(study, tick);
    let lastReconcile = Date.now();
    try {
      for (;;) {
        await this.keepStudy(study, tick);
        this.drainFinished(study, tick);
        const stopped = this.stopRequested || Date.now() >= deadline;
        // Only a study stopped early takes back what it queued (the whole budget may be queued by
        // then); not when the lease was lost: the study is another coordinator's now.
        if (stopped && !this.withdrew) {
          this.withdrew = true;
          if (!this.lease.isLost) await this.withdrawQueued(study);
        }
        const { used, running } = countTrials(study);
        // study.stop(): the sampler has nothing left to sample (every grid point is taken), so
        // nothing new starts, but what it sampled and queued runs.
        const canStart = !stopped && !study.isStopRequested && used < o.trialBudget;
        if (!canStart) {
          this.state = "draining";
          if (running === 0) break;
          await this.readWorkers();
        } else {
          await this.topUp(study, o.trialBudget - used, running);
        }
        // A study with its whole budget queued still takes back the unstarted trials at its timeout.
        const untilDeadline = this.withdrew ? Number.POSITIVE_INFINITY : Math.max(0, deadline - Date.now());
        await this.nextWake(Math.min(canStart ? 250 : o.reconcileIntervalMs, untilDeadline, STUDY_CHECK_INTERVAL_MS));
        if (Date.now() - lastReconcile >= o.reconcileIntervalMs) {
          // The study first: after a wait long enough for Redis to lose it (this process frozen,
          // Redis restarted empty), reconciling would enqueue its running trials again into a
          // Redis without it, or into another coordinator's study of that name; workers refuse
          // such jobs as stray. Restored first, it is reconciled as restoreStudy says.
          await this.keepStudy(study, tick);
          await this.reconcile(study, tick);
          lastReconcile = Date.now();
        }
      }
      await this.storage.flush();
    } finally {
      bar?.close();
    }
    if (this.lease.isLost) {
      throw StudyLeaseError.lost(o.studyName);
    }
    return study;
  }

  /**
   * Reads the study's epoch back when no flush did for a while (STUDY_CHECK_INTERVAL_MS), and
   * restores the study when Redis lost it.
   */
  private async keepStudy(study: Study, tick: () => void): Promise<void> {
    if (Date.now() - this.studyCheckedAt >= STUDY_CHECK_INTERVAL_MS) {
      this.studyCheckedAt = Date.now();
      // A failed read is retried at the next check; the flushes read the epoch meanwhile.
      await this.storage.checkStudies().catch(() => undefined);
    }
    if (this.storage.lostStudy(study.studyName)) await this.restoreStudy(study, tick);
  }

  /**
   * Redis lost the study (a restart without persistence, a failover to an empty replica, a
   * FLUSHALL): takes its lease back, writes the study back from this coordinator's copy
   * (RedisStorage.restoreStudy) and reconciles, which enqueues again the running trials whose jobs
   * vanished with it; one warning says so. Results that workers were returning meanwhile vanished
   * with their jobs: those trials run again. When another coordinator took the lease first, this one
   * writes nothing more and stops with StudyDataLostError, which says what was lost.
   */
  private async restoreStudy(study: Study, tick: () => void): Promise<void> {
    const name = study.studyName;
    const loss = this.storage.lostStudy(name);
    if (!loss) return;
    const lease = this.lease as StudyLease;
    if (!(await lease.reclaim())) {
      const holder = (await readStudyLease(this.redis, this.keys, name))?.holder ?? "another coordinator";
      this.storage.abandonStudy(name);
      throw new StudyDataLostError(name, `coordinator ${holder} took the study's lease before this one could restore it`, study.storage.countTrialsByState(study.studyId));
    }
    let restored;
    try {
      restored = await this.storage.restoreStudy(name);
    } catch (error) {
      if (error instanceof StudyDataLostError) this.storage.abandonStudy(name);
      throw error;
    }
    const requeued = await this.reconcile(study, tick);
    const ms = Date.now() - loss.detectedAt;
    this.logger.warn(
      { event: "study_restored", study: name, trials: restored.trials, running: restored.running, nextNumber: restored.nextNumber, requeued, ms },
      `Study "${name}" vanished from Redis (Redis lost its data: a restart without persistence, a failover to an empty replica, ` +
        `or FLUSHALL); restored from this coordinator's copy ${ms} ms after the loss was seen: ${restored.trials} trial(s), ` +
        `${restored.running} running, budget used ${restored.nextNumber}. ${requeued} running trial(s) whose jobs vanished ` +
        `with it were enqueued again and run again (results workers were returning meanwhile were lost with their jobs). ` +
        `Run Redis with persistence (AOF) to keep this from happening.`,
    );
  }

  /**
   * BullMQ re-emits its connection's errors on the Queue, and with nobody listening prints each
   * one's stack (a few per reconnection attempt while Redis is down). The outage is one line
   * already (this.outages, a RedisOutageLog); any other error is one line here.
   */
  private onQueueError(error: Error): void {
    if (this.queueRedis.status !== "ready" || isConnectionFailure(error)) return;
    this.logger.warn({ event: "queue_error", reason: error.message }, `Coordinator's queue: ${error.message}`);
  }

  /**
   * Keeps the trials in flight (queued, running, or finished but not yet recorded) at the workers'
   * slots plus a few queued ahead, so a slot that frees up finds a trial at once and a worker that
   * joins gets one immediately, while every trial is sampled as late as possible. A sampler that
   * ignores the history (random search) gets a deeper queue: it loses nothing by sampling early.
   */
  private async topUp(study: Study, remaining: number, inFlight: number): Promise<void> {
    const queue = this.queue as Queue;
    await this.readWorkers();
    // Deep only once the study knows its parameters: before, a job would carry none for its
    // worker's thread to answer, nor for a withdrawn trial to keep.
    const deep = study.sampler.ignoresHistory && Object.keys(study.storage.getParamDistributions(study.studyId)).length > 0;
    const ahead = deep ? Math.max(HISTORY_FREE_MIN_AHEAD, HISTORY_FREE_AHEAD_PER_SLOT * this.totalSlots) : QUEUE_AHEAD;
    const target = this.totalSlots + ahead;
    const batch: Array<{ number: number; proposal: Proposal }> = [];
    while (inFlight + batch.length < target && batch.length < remaining) batch.push(proposeTrial(study));
    if (batch.length === 0) return;
    await enqueueTrials(
      this.storage,
      this.redis,
      queue,
      batch.map(({ number, proposal }) => trialJobData(study, number, proposal, this.o.objectiveId, this.o.seed)),
      JOB_OPTIONS,
    );
  }

  /**
   * The workers' slots, free and busy, as they announce them, read at most every 500 ms: for
   * topUp, and while draining for the stop's bound (trialsOnWorkers).
   */
  private async readWorkers(): Promise<void> {
    if (Date.now() - this.slotsReadAt <= 500) return;
    const workers = await listWorkers(this.redis, this.keys, this.o.queue);
    this.totalSlots = workers.reduce((sum, w) => sum + (w.state === "running" ? w.slots : 0), 0);
    this.busySlots = workers.reduce((sum, w) => sum + Math.max(0, w.slots - w.free), 0);
    this.slotsReadAt = Date.now();
  }

  /**
   * No trial may start any more (the timeout passed, or stop()) while trials are still queued:
   * each one no worker took yet goes back to WAITING with its params fixed, as enqueueTrial
   * leaves a trial, so it runs first when the study resumes instead of after the timeout.
   */
  private async withdrawQueued(study: Study): Promise<void> {
    const queue = this.queue as Queue;
    const ours = `${study.studyName}.`;
    for (const job of await queue.getJobs(["waiting", "prioritized"])) {
      if (!job.id?.startsWith(ours)) continue;
      const trial = study.storage.getTrialByNumber(study.studyId, Number(job.id.slice(ours.length)));
      if (trial?.state !== TrialState.RUNNING) continue;
      try {
        await job.remove();
      } catch {
        continue; // a worker took it meanwhile: it runs
      }
      const fixedParams = { ...storedProposal(study, trial.number).params };
      for (const name of Object.keys(trial.params)) study.storage.deleteTrialParam(trial.trialId, name);
      study.storage.setTrialSystemAttr(trial.trialId, "fixedParams", fixedParams);
      study.storage.setTrialState(trial.trialId, TrialState.WAITING);
      this.logger.info(
        { event: "trial_withdrawn", number: trial.number },
        `Trial ${trial.number} was queued but not started when the study stopped: it waits (WAITING) to run first when the study resumes.`,
      );
    }
    await this.storage.flush();
  }

  /**
   * Checks each RUNNING trial against its job: records finished ones whose event was missed
   * (a restart, a Redis outage) and enqueues again a trial whose job is gone. Returns how many
   * it enqueued again.
   */
  private async reconcile(study: Study, tick: () => void): Promise<number> {
    const running = study.getTrials({ states: [TrialState.RUNNING] });
    let requeued = 0;
    // Many at once, so a deep queue costs a few round trips rather than one per trial.
    for (let i = 0; i < running.length; i += RECONCILE_AT_ONCE) {
      const added = await Promise.all(running.slice(i, i + RECONCILE_AT_ONCE).map((trial) => this.reconcileTrial(study, trial.number)));
      requeued += added.filter(Boolean).length;
    }
    this.drainFinished(study, tick);
    return requeued;
  }

  /** Checks one running trial against its job; true when the job was gone and is enqueued again. */
  private async reconcileTrial(study: Study, number: number): Promise<boolean> {
    const queue = this.queue as Queue;
    const jobId = trialJobId(study.studyName, number);
    // State first, then the job: the result is stored by the same script that completes the job,
    // so a job read after "completed" always has it (the other order can see completed, no result).
    const state = await queue.getJobState(jobId);
    if (state === "unknown") {
      const proposal = storedProposal(study, number);
      await queue.add("trial", trialJobData(study, number, proposal, this.o.objectiveId, this.o.seed), { ...JOB_OPTIONS, jobId });
      return true;
    }
    if (state !== "completed" && state !== "failed") return false;
    const job = await queue.getJob(jobId);
    if (!job) return false;
    if (state === "completed") this.finished.push({ jobId, result: job.returnvalue });
    else this.finished.push({ jobId, failedReason: job.failedReason });
    return false;
  }

  private drainFinished(study: Study, tick: () => void): void {
    while (this.finished.length > 0) {
      const f = this.finished.shift() as Finished;
      const number = Number(f.jobId.slice(f.jobId.lastIndexOf(".") + 1));
      let recorded;
      if ("result" in f) {
        let result: TrialResult;
        try {
          result = parsePayload(`result of job ${f.jobId}`, trialResultSchema, typeof f.result === "string" ? JSON.parse(f.result) : f.result);
        } catch (error) {
          recorded = recordJobFailure(study, number, error instanceof Error ? error.message : String(error));
          if (recorded) tick();
          continue;
        }
        recorded = recordResult(study, result);
      } else {
        recorded = recordJobFailure(study, number, jobFailureReason(f.failedReason));
      }
      if (recorded) tick();
    }
  }

  private push(f: Finished): void {
    this.finished.push(f);
    this.wake?.();
  }

  private nextWake(ms: number): Promise<void> {
    if (this.finished.length > 0 || this.stopRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  async close(): Promise<void> {
    this.state = "stopped";
    this.bound?.cancel();
    void this.outcomes?.close();
    if (this.cut) return this.closeCutShort();
    await this.queue?.close().catch(() => undefined);
    await this.storage.flush().catch(() => undefined);
    await this.lease?.release().catch(() => undefined);
    this.eventsRedis.disconnect();
    await this.queueRedis.quit().catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
  }

  /**
   * A close that must not wait on Redis: when it answers, the last writes and the lease (so the
   * next coordinator starts at once) within CUT_SHORT_CLOSE_MS; then every connection is dropped,
   * whatever is still in its offline queue.
   */
  private async closeCutShort(): Promise<void> {
    const lease = this.lease;
    const tidy = async (): Promise<void> => {
      await this.storage.flush();
      await lease?.release();
    };
    let timer: NodeJS.Timeout | undefined;
    if (this.outages.down) void lease?.release().catch(() => undefined); // stops its renewals; the lease runs out
    else await Promise.race([tidy().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, CUT_SHORT_CLOSE_MS)))]);
    clearTimeout(timer);
    for (const r of [this.eventsRedis, this.queueRedis, this.redis]) r.disconnect();
    void this.queue?.close().catch(() => undefined);
  }
}
