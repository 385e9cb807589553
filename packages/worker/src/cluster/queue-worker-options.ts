import { checkIntegerOption, type Logger, type Pruner } from "@shoal/core";
import { checkKeyName, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_PREFIX, DEFAULT_QUEUE, DEFAULT_WORKER_SHUTDOWN_GRACE_MS } from "@shoal/redis";

/**
 * A job whose study hash is missing or partial (Redis lost the study; its coordinator restores it
 * within a second or two) goes back to the queue; after this long of putting back a study's jobs,
 * the study is taken for gone (no coordinator restores it) and its jobs are refused as failed,
 * with a reason that names it. The default of `lostStudyWaitMs` (`--lost-study-wait`).
 */
export const STUDY_MISSING_GIVE_UP_MS = 60_000;

/** Options of QueueWorker (the `shoal worker` process). */
export interface QueueWorkerOptions {
  redisUrl: string;
  /** The objective module this worker runs; jobs for another objective are refused. */
  objectiveModule: string;
  /** Trials run at once, each in its own thread. @default 1 */
  concurrency?: number | undefined;
  /**
   * Jobs taken beyond the free slots while this worker's trials are short (under 20 ms on
   * average), so a thread that finishes finds its next trial at hand; none while they are longer.
   * A held job counts as taken (BullMQ's active state); if the worker dies, it is taken back like
   * the running ones. @default 1
   */
  prefetch?: number | undefined;
  /** @default "trials" */
  queue?: string | undefined;
  /** @default "shoal" */
  prefix?: string | undefined;
  trialTimeoutSeconds?: number | undefined;
  /** The heap limit of each trial's thread, in MB (checked by the TrialRunner). @default DEFAULT_TRIAL_MEMORY_MB */
  trialMemoryMb?: number | undefined;
  /** A trial whose worker stops renewing its lock this long is taken back. @default 5000 */
  lockDurationMs?: number | undefined;
  /** How often this worker looks for trials whose worker died. @default 5000 */
  stalledIntervalMs?: number | undefined;
  /** How many times a trial may be taken back from a dead worker before it FAILs. @default 2 */
  maxStalledCount?: number | undefined;
  /**
   * How long a job whose study vanished from Redis (Redis lost its data) is put back, waiting for
   * its coordinator to restore the study, before it is refused. A job of a study that shows no
   * sign of having been lost is refused at once (see QueueWorker.studyMayComeBack). @default 60000
   */
  lostStudyWaitMs?: number | undefined;
  /** @default MedianPruner with Optuna's defaults */
  pruner?: Pruner | undefined;
  /** @default `<host>-<pid>` */
  workerId?: string | undefined;
  /**
   * How long the first connection to Redis may take: past it start() fails with
   * RedisUnreachableError (or at once with RedisAuthError). Later outages are waited out.
   * @default DEFAULT_CONNECT_TIMEOUT_MS (5 s)
   */
  connectTimeoutMs?: number | undefined;
  /**
   * How long stop() may take to put the running trials back in the queue: past it, or at once when
   * Redis is unreachable and this worker holds no job, it gives up (`cutShort` says so) and the
   * trials it held come back by BullMQ's stalled-job check once their locks run out.
   * @default DEFAULT_WORKER_SHUTDOWN_GRACE_MS (8 s, under docker stop's 10 s)
   */
  shutdownGraceMs?: number | undefined;
  logger?: Logger | undefined;
}

/** QueueWorkerOptions with defaults applied and checked once. */
export interface CompiledQueueWorkerOptions {
  redisUrl: string;
  objectiveModule: string;
  concurrency: number;
  prefetch: number;
  queue: string;
  prefix: string;
  trialTimeoutSeconds: number | undefined;
  trialMemoryMb: number | undefined;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  lostStudyWaitMs: number;
  pruner: Pruner | undefined;
  workerId: string | undefined;
  connectTimeoutMs: number;
  shutdownGraceMs: number;
  logger: Logger | undefined;
}

/** Applies defaults and validates; errors name the option and the allowed range. */
export function compileQueueWorkerOptions(o: QueueWorkerOptions): CompiledQueueWorkerOptions {
  return {
    redisUrl: o.redisUrl,
    objectiveModule: o.objectiveModule,
    concurrency: checkIntegerOption("concurrency", o.concurrency ?? 1, 1, 1024),
    prefetch: checkIntegerOption("prefetch", o.prefetch ?? 1, 0, 1024),
    queue: checkKeyName("queue", o.queue ?? DEFAULT_QUEUE),
    prefix: checkKeyName("prefix", o.prefix ?? DEFAULT_PREFIX),
    trialTimeoutSeconds: o.trialTimeoutSeconds,
    trialMemoryMb: o.trialMemoryMb,
    lockDurationMs: checkIntegerOption("lockDurationMs", o.lockDurationMs ?? 5000, 500),
    stalledIntervalMs: checkIntegerOption("stalledIntervalMs", o.stalledIntervalMs ?? 5000, 200),
    maxStalledCount: checkIntegerOption("maxStalledCount", o.maxStalledCount ?? 2, 0),
    lostStudyWaitMs: checkIntegerOption("lostStudyWaitMs", o.lostStudyWaitMs ?? STUDY_MISSING_GIVE_UP_MS, 0),
    pruner: o.pruner,
    workerId: o.workerId,
    connectTimeoutMs: checkIntegerOption("connectTimeoutMs", Math.round(o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS), 1),
    shutdownGraceMs: checkIntegerOption("shutdownGraceMs", Math.round(o.shutdownGraceMs ?? DEFAULT_WORKER_SHUTDOWN_GRACE_MS), 0),
    logger: o.logger,
  };
}
