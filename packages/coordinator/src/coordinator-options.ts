import { checkIntegerOption, InvalidOptionError, type Logger, type Pruner, type Sampler, type StudyDirection } from "@shoal/core";
import { checkKeyName, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_COORDINATOR_SHUTDOWN_GRACE_MS, DEFAULT_LEASE_TTL_MS, DEFAULT_PREFIX, DEFAULT_QUEUE } from "@shoal/redis";

/** How long a coordinator waits for a dead one's lease to run out, by default: one TTL and a second. */
export const DEFAULT_LEASE_WAIT_MS = DEFAULT_LEASE_TTL_MS + 1000;

/** Options of runCoordinator. */
export interface CoordinatorOptions {
  /** redis:// or rediss:// URL. */
  redisUrl: string;
  studyName: string;
  /**
   * The study's global trial budget, however many workers run it: trials already in the study
   * count toward it, so a restarted coordinator resumes. (Core's `optimize({ nTrials })` counts
   * the trials of one call instead.)
   */
  trialBudget: number;
  /** Start no new trial after this many seconds. */
  timeoutSeconds?: number | undefined;
  /** @default "minimize" (an existing study keeps its own) */
  direction?: StudyDirection | undefined;
  /** One direction per objective, for a multi-objective study (instead of `direction`). */
  directions?: readonly StudyDirection[] | undefined;
  sampler?: Sampler | undefined;
  pruner?: Pruner | undefined;
  /** Stamps jobs so workers holding another objective refuse them. */
  objectiveId?: string | null | undefined;
  /** Seeds the workers' sampling of parameters the jobs do not carry. @default 0 */
  seed?: number | undefined;
  /** @default "shoal" */
  prefix?: string | undefined;
  /** @default "trials" */
  queue?: string | undefined;
  /** How long the study lease lives without renewal. @default DEFAULT_LEASE_TTL_MS (10 s) */
  leaseTtlMs?: number | undefined;
  /**
   * How long to wait for the lease of a coordinator that died to run out (a restart right after a
   * crash). A live holder is recognised by its renewals and refused at once, whatever this is.
   * @default leaseTtlMs + 1000
   */
  leaseWaitMs?: number | undefined;
  /** How often running trials are checked against their jobs (missed events, lost jobs). @default 2000 */
  reconcileIntervalMs?: number | undefined;
  /**
   * How long the first connection to Redis may take: past it the coordinator fails with
   * RedisUnreachableError (or at once with RedisAuthError). Later outages are waited out.
   * @default DEFAULT_CONNECT_TIMEOUT_MS (5 s)
   */
  connectTimeoutMs?: number | undefined;
  logger?: Logger | undefined;
  showProgressBar?: boolean | undefined;
  /** Aborting it stops enqueueing; the coordinator returns once running trials are recorded. */
  signal?: AbortSignal | undefined;
  /**
   * How long a stop (the signal) waits for running trials: past it, or at once when Redis is
   * unreachable and no trial runs, runCoordinator rejects with ShutdownCutShortError and leaves
   * the running trials to the next coordinator. @default DEFAULT_COORDINATOR_SHUTDOWN_GRACE_MS (30 s)
   */
  shutdownGraceMs?: number | undefined;
}

/** CoordinatorOptions with every default applied and checked once. */
export interface CompiledCoordinatorOptions {
  redisUrl: string;
  studyName: string;
  trialBudget: number;
  timeoutMs: number | null;
  direction: StudyDirection | undefined;
  directions: readonly StudyDirection[] | undefined;
  sampler: Sampler | undefined;
  pruner: Pruner | undefined;
  objectiveId: string | null;
  seed: number;
  prefix: string;
  queue: string;
  leaseTtlMs: number;
  leaseWaitMs: number;
  reconcileIntervalMs: number;
  connectTimeoutMs: number;
  logger: Logger | undefined;
  showProgressBar: boolean;
  signal: AbortSignal | undefined;
  shutdownGraceMs: number;
}

/** Applies defaults and validates; errors name the option and the allowed range. */
export function compileCoordinatorOptions(o: CoordinatorOptions): CompiledCoordinatorOptions {
  if (o.timeoutSeconds !== undefined && !(o.timeoutSeconds > 0)) {
    throw new InvalidOptionError("timeoutSeconds", `must be > 0, got ${o.timeoutSeconds}.`);
  }
  const leaseTtlMs = checkIntegerOption("leaseTtlMs", o.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS, 300);
  return {
    redisUrl: o.redisUrl,
    studyName: checkKeyName("studyName", o.studyName),
    trialBudget: checkIntegerOption("trialBudget", o.trialBudget, 0),
    timeoutMs: o.timeoutSeconds === undefined ? null : o.timeoutSeconds * 1000,
    direction: o.direction,
    directions: o.directions,
    sampler: o.sampler,
    pruner: o.pruner,
    objectiveId: o.objectiveId ?? null,
    seed: checkIntegerOption("seed", o.seed ?? 0, 0),
    prefix: checkKeyName("prefix", o.prefix ?? DEFAULT_PREFIX),
    queue: checkKeyName("queue", o.queue ?? DEFAULT_QUEUE),
    leaseTtlMs,
    leaseWaitMs: checkIntegerOption("leaseWaitMs", o.leaseWaitMs ?? leaseTtlMs + (DEFAULT_LEASE_WAIT_MS - DEFAULT_LEASE_TTL_MS), 0),
    reconcileIntervalMs: checkIntegerOption("reconcileIntervalMs", o.reconcileIntervalMs ?? 2000, 50),
    connectTimeoutMs: checkIntegerOption("connectTimeoutMs", Math.round(o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS), 1),
    logger: o.logger,
    showProgressBar: o.showProgressBar ?? false,
    signal: o.signal,
    shutdownGraceMs: checkIntegerOption("shutdownGraceMs", Math.round(o.shutdownGraceMs ?? DEFAULT_COORDINATOR_SHUTDOWN_GRACE_MS), 0),
  };
}
