import { ShoalError } from "@shoal/core";

/** Thrown when no Redis URL was given and neither SHOAL_REDIS_URL nor REDIS_URL is set, or the URL is malformed. */
export class RedisUrlError extends ShoalError {}

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
