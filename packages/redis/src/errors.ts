import { ShoalError, type TrialState } from "@shoal/core";
import { redactRedisUrl } from "./redact-url.js";

/** Thrown when no Redis URL was given and neither SHOAL_REDIS_URL nor REDIS_URL is set, or the URL is malformed. */
export class RedisUrlError extends ShoalError {}

/** Thrown when Redis refuses the URL's credentials (WRONGPASS, NOAUTH): retrying cannot help. */
export class RedisAuthError extends ShoalError {
  constructor(readonly url: string) {
    super(`authentication failed for ${redactRedisUrl(url)}: check the user and password in the Redis URL.`);
  }
}

/**
 * Thrown when a command's first connection to Redis is not ready within its connect timeout
 * (`--connect-timeout`): nothing listens there, or it is out of reach.
 */
export class RedisUnreachableError extends ShoalError {
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
    readonly reason: string | undefined,
  ) {
    super(
      `Redis at ${redactRedisUrl(url)} unreachable: no connection within ${timeoutMs / 1000} s` +
        `${reason ? ` (${reason})` : ""}. Is redis-server running there? (--connect-timeout S waits longer.)`,
    );
  }
}

/** Thrown when a short-lived command (a query) loses its connection to Redis after it connected. */
export class RedisConnectionLostError extends ShoalError {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Redis at ${redactRedisUrl(url)} unreachable: the connection was lost (${reason}). Try again once Redis is back.`);
  }
}

/** Thrown when a payload read from Redis (a trial hash, a job, a result) does not have the shape Shoal wrote. */
export class MalformedPayloadError extends ShoalError {
  constructor(
    readonly what: string,
    detail: string,
  ) {
    super(`Malformed ${what} in Redis: ${detail}`);
  }
}

/**
 * Thrown when a second coordinator tries to run a study that another one holds: `alive` when the
 * holder renewed its lease meanwhile, else its lease did not run out within the wait. Also thrown
 * by a coordinator whose lease was taken while it ran (`lost`): it stopped, the study is the other's.
 */
export class StudyLeaseError extends ShoalError {
  constructor(
    readonly studyName: string,
    readonly holder: string,
    readonly ttlMs: number,
    readonly alive = false,
    readonly lost = false,
  ) {
    super(
      lost
        ? `The lease on study "${studyName}" was taken by ${holder}; this coordinator stopped.`
        : alive
          ? `Study "${studyName}" is already being coordinated by ${holder}, which is alive (it renewed its lease just now). ` +
            `One coordinator per study: stop that one first.`
          : `Study "${studyName}" is already being coordinated by ${holder}. Stop that coordinator first; ` +
            `if it died, its lease expires within ${Math.ceil(ttlMs / 1000)} s.`,
    );
  }

  /** The error of a coordinator whose lease `holder` took while it ran. */
  static lost(studyName: string, holder = "another coordinator"): StudyLeaseError {
    return new StudyLeaseError(studyName, holder, 0, false, true);
  }
}

/**
 * Thrown when a study hash exists but lacks the fields written as the study was created: Redis
 * lost the study's data (restarted without persistence, failed over to an empty replica,
 * FLUSHALL) and later writes re-created part of it. Its running coordinator restores it.
 */
export class PartialStudyError extends ShoalError {
  constructor(
    readonly studyName: string,
    readonly key: string,
    readonly fields: readonly string[],
  ) {
    super(
      `Study "${studyName}" is incomplete in Redis: its hash ${key} holds only ${fields.map((f) => `"${f}"`).join(", ")}, ` +
        `not the direction and creation time it was created with. Redis lost the study's data (restarted without ` +
        `persistence, failed over to an empty replica, or FLUSHALL). Its coordinator, while it runs, restores the study ` +
        `within a second or two: try again then. With no coordinator running it, what is left is partial: delete the ` +
        `study's keys (${key} and ${key}:*) to start it anew.`,
    );
  }
}

/**
 * Thrown by a coordinator that found its study gone from Redis (Redis lost its data) and could not
 * restore it from its own copy: another coordinator took the study's lease meanwhile, or a new
 * study of the same name was created there. Says what was lost from Redis.
 */
export class StudyDataLostError extends ShoalError {
  constructor(
    readonly studyName: string,
    readonly why: string,
    /** The study's trials by state, as this coordinator held them: what Redis lost. */
    readonly lost: Readonly<Record<TrialState, number>>,
  ) {
    const total = lost.COMPLETE + lost.PRUNED + lost.FAIL + lost.RUNNING + lost.WAITING;
    super(
      `Redis lost study "${studyName}" (its hash vanished: a restart without persistence, a failover to an empty ` +
        `replica, or FLUSHALL) and this coordinator could not restore it: ${why}. Lost from Redis: ${total} ` +
        `trial(s) (${lost.COMPLETE} complete, ${lost.PRUNED} pruned, ${lost.FAIL} failed, ${lost.RUNNING} running, ` +
        `${lost.WAITING} waiting), their params, values and attrs, the study's attrs and the budget used; this ` +
        `coordinator stopped without writing them. Run Redis with persistence (AOF).`,
    );
  }
}

/** What WorkerIdTakenError says of the worker that holds the id: the fields of its announcement that name it. */
export interface WorkerIdHolder {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  queue: string;
  state: string;
}

/**
 * Thrown when a worker's `--id` is held by another live process (see WorkerIdClaim): `alive` when
 * the holder refreshed its announcement while this one waited, `held` when its announcement did
 * not run out within the wait, `taken-over` when another process took the id while this worker
 * ran (this one's announcement had run out). Names the holder as it announced itself.
 */
export class WorkerIdTakenError extends ShoalError {
  constructor(
    readonly workerId: string,
    /** The holder's announcement; null when the key holds something else. */
    readonly holder: WorkerIdHolder | null,
    readonly ttlMs: number,
    readonly how: "alive" | "held" | "taken-over",
  ) {
    const who = holder
      ? `worker "${holder.id}" on host ${holder.host}, pid ${holder.pid}, started at ${holder.startedAt} (queue "${holder.queue}", ${holder.state})`
      : `a process whose announcement is not a worker's`;
    super(
      how === "taken-over"
        ? `Worker id "${workerId}" was taken by ${who} while this worker ran (this one's announcement had run out: ` +
            `Redis was unreachable for longer than its TTL, or lost its data). This worker stopped: give each worker its own --id.`
        : how === "alive"
          ? `Worker id "${workerId}" is taken: ${who} holds it and is alive (it refreshed its announcement just now). ` +
            `Give this worker another --id, or stop that one first.`
          : `Worker id "${workerId}" is taken: ${who} holds it. Give this worker another --id, or stop that one first; ` +
            `if it died, its announcement runs out within ${Math.max(1, Math.ceil(ttlMs / 1000))} s.`,
    );
  }
}
