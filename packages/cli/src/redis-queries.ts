import { ShoalError, type FrozenTrial, type StudyDirection } from "@shoal/core";
import {
  connectFirst,
  createRedisConnection,
  DEFAULT_QUEUE,
  isAuthFailure,
  isConnectionFailure,
  readStudyForWatching,
  RedisAuthError,
  RedisConnectionLostError,
  ShoalKeys,
} from "@shoal/redis";
import type { Redis } from "ioredis";
import { UsageError } from "./errors.js";

/**
 * Runs a read-only query on a connection of its own. A query fails fast when Redis is down,
 * instead of waiting for it as a worker or coordinator does: its first connection within
 * `connectTimeoutMs`, and a connection lost midway fails the query, each in one line.
 */
export async function withQueryRedis<T>(url: string, connectTimeoutMs: number, use: (redis: Redis) => Promise<T>): Promise<T> {
  // Retries until connectFirst gives up; after it, a command is retried once.
  const redis = createRedisConnection(url, { maxRetriesPerRequest: 1, retryStrategy: () => 200, connectionName: "shoal-cli" });
  // Its errors end up in the query's rejection; without a listener ioredis prints each one's stack.
  redis.on("error", () => undefined);
  try {
    await connectFirst([redis], url, connectTimeoutMs);
    return await use(redis);
  } catch (error) {
    if (error instanceof ShoalError) throw error;
    if (isAuthFailure(error)) throw new RedisAuthError(url);
    if (isConnectionFailure(error)) throw new RedisConnectionLostError(url, (error as Error).message);
    throw error;
  } finally {
    redis.disconnect();
  }
}

/**
 * A study's directions and trials from Redis, running ones with their worker from their jobs on
 * `queue`; a usage error for `command` when there is no such study.
 */
export async function readStudyTrials(
  redis: Redis,
  studyName: string,
  prefix: string | undefined,
  command: string,
  queue = DEFAULT_QUEUE,
): Promise<{ directions: StudyDirection[]; trials: FrozenTrial[] }> {
  const keys = new ShoalKeys(prefix);
  const study = await readStudyForWatching(redis, keys, studyName, queue);
  if (!study) throw new UsageError(`no study named "${studyName}" under the prefix "${keys.prefix}".`, command);
  return { directions: study.hash.directions, trials: study.trials };
}
