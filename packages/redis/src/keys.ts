import { InvalidOptionError } from "@shoal/core";

/** The default prefix of every key Shoal writes, BullMQ's included. */
export const DEFAULT_PREFIX = "shoal";

/** The default BullMQ queue that carries trial jobs. */
export const DEFAULT_QUEUE = "trials";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Throws unless `name` can be part of a key: letters, digits, `.`, `_`, `-`; at most 200. */
export function checkKeyName(option: string, name: string): string {
  if (!NAME.test(name)) {
    throw new InvalidOptionError(
      option,
      `must start with a letter or digit and hold only letters, digits, ".", "_" and "-" (at most 200), got ${JSON.stringify(name)}.`,
    );
  }
  return name;
}

/**
 * Every Redis key Shoal uses, built in this one place (the README's "Monitoring with redis-cli"
 * table documents the same list). BullMQ's keys live under `<prefix>:<queue>:*`.
 */
export class ShoalKeys {
  constructor(readonly prefix: string = DEFAULT_PREFIX) {
    checkKeyName("prefix", prefix);
  }

  /** Set of study names. */
  studies(): string {
    return `${this.prefix}:studies`;
  }

  /** Hash: direction, createdAt, nextNumber (trials created so far), bestTrial, bestValue, objective, reported ("1" once a trial reported an intermediate value: workers then read values for their pruners). */
  study(name: string): string {
    return `${this.prefix}:study:${name}`;
  }

  /** Hash: one trial's number, state, value, params, distributions, attrs, times, worker, attempts. */
  trial(name: string, number: number): string {
    return `${this.prefix}:study:${name}:trial:${number}`;
  }

  /** Hash: step -> intermediate value of one trial (written by the worker running it). */
  trialValues(name: string, number: number): string {
    return `${this.prefix}:study:${name}:trial:${number}:values`;
  }

  /** Set: numbers of the study's RUNNING trials (queued or started). */
  running(name: string): string {
    return `${this.prefix}:study:${name}:running`;
  }

  /** String with a TTL: the id of the coordinator that holds the study. */
  lease(name: string): string {
    return `${this.prefix}:study:${name}:coordinator`;
  }

  /** String with a TTL: a live worker's announcement (JSON: host, pid, queue, slots, free). */
  worker(id: string): string {
    return `${this.prefix}:worker:${id}`;
  }

  /** Sorted set: worker ids scored by when their announcement expires (an index, so no key scan). */
  workers(): string {
    return `${this.prefix}:workers`;
  }

  /**
   * BullMQ's hash of a job (its key layout, under the same prefix): `data`, `returnvalue`,
   * `processedOn`, `pb` (the worker running it) and the rest; `:lock` while a worker holds it.
   */
  job(queue: string, jobId: string): string {
    return `${this.prefix}:${queue}:${jobId}`;
  }

  /** BullMQ's lock of a job: present while a live worker holds it. */
  jobLock(queue: string, jobId: string): string {
    return `${this.job(queue, jobId)}:lock`;
  }

  /** BullMQ's event stream of a queue: an entry per job event (`event`, `jobId`, and `returnvalue` or `failedReason`). */
  queueEvents(queue: string): string {
    return `${this.prefix}:${queue}:events`;
  }
}

/** The deterministic BullMQ job id of a trial: a trial is enqueued at most once. */
export function trialJobId(studyName: string, number: number): string {
  return `${studyName}.${number}`;
}
