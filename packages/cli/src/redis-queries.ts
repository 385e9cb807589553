import type { FrozenTrial, StudyDirection } from "@shoal/core";
import { createRedisConnection, DEFAULT_QUEUE, readStudyForWatching, ShoalKeys } from "@shoal/redis";
import type { Redis } from "ioredis";
import { UsageError } from "./errors.js";

/**
 * Runs a read-only query on a connection of its own. A query fails fast when Redis is down,
 * instead of waiting for it as a worker or coordinator does.
 */
export async function withQueryRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = createRedisConnection(url, { maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 3 ? null : 200), connectionName: "shoal-cli" });
  try {
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/**
 * A study's direction and trials from Redis, running ones with their worker from their jobs on
 * `queue`; a usage error for `command` when there is no such study.
 */
export async function readStudyTrials(
  redis: Redis,
  studyName: string,
  prefix: string | undefined,
  command: string,
  queue = DEFAULT_QUEUE,
): Promise<{ direction: StudyDirection; trials: FrozenTrial[] }> {
  const keys = new ShoalKeys(prefix);
  const study = await readStudyForWatching(redis, keys, studyName, queue);
  if (!study) throw new UsageError(`no study named "${studyName}" under the prefix "${keys.prefix}".`, command);
  return { direction: study.hash.direction, trials: study.trials };
}
