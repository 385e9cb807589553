import type { Logger } from "@shoal/core";
import { Redis, type RedisOptions } from "ioredis";
import { RedisUrlError } from "./errors.js";

/** The Redis URL from a flag, else SHOAL_REDIS_URL, else REDIS_URL; throws RedisUrlError when none is set. */
export function resolveRedisUrl(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const url = flag ?? env.SHOAL_REDIS_URL ?? env.REDIS_URL;
  if (!url) {
    throw new RedisUrlError("No Redis URL: pass --redis redis://host:6379, or set SHOAL_REDIS_URL or REDIS_URL.");
  }
  parseRedisUrl(url);
  return url;
}

/** The parts of a redis:// or rediss:// URL, validated. */
export interface RedisUrlParts {
  tls: boolean;
  host: string;
  port: number;
  username: string | undefined;
  password: string | undefined;
  db: number;
}

/** Parses `redis://[user:password@]host[:port][/db]` (or rediss:// for TLS). */
export function parseRedisUrl(url: string): RedisUrlParts {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RedisUrlError(`Invalid Redis URL ${JSON.stringify(url)}: expected redis://host:port or rediss://host:port.`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") {
    throw new RedisUrlError(`Invalid Redis URL ${redactRedisUrl(url)}: the scheme must be redis:// or rediss://, got ${u.protocol}//.`);
  }
  const port = u.port === "" ? 6379 : Number(u.port);
  const dbPath = u.pathname.replace(/^\//, "");
  const db = dbPath === "" ? 0 : Number(dbPath);
  if (!Number.isInteger(db) || db < 0) {
    throw new RedisUrlError(`Invalid Redis URL ${redactRedisUrl(url)}: the database must be a whole number >= 0, got "${dbPath}".`);
  }
  return {
    tls: u.protocol === "rediss:",
    host: u.hostname || "127.0.0.1",
    port,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
  };
}

/** The URL with its password replaced by `***`, for logs and errors. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, "//$1:***@");
}

/**
 * An ioredis connection suited to BullMQ and to long-lived processes: it retries for ever with a
 * capped back-off (so a restarted Redis is picked up again) and never fails commands while it
 * reconnects (`maxRetriesPerRequest: null`, the offline queue holds them).
 */
export function createRedisConnection(url: string, options: RedisOptions = {}): Redis {
  const parts = parseRedisUrl(url);
  return new Redis({
    host: parts.host,
    port: parts.port,
    username: parts.username,
    password: parts.password,
    db: parts.db,
    ...(parts.tls ? { tls: { servername: parts.host } } : {}),
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    connectionName: "shoal",
    lazyConnect: false,
    ...options,
  });
}

/**
 * Logs a long-lived connection's outage once, and its return, instead of ioredis printing an
 * "Unhandled error event" at every retry (the connection reconnects by itself).
 */
export function logConnectionOutages(redis: Redis, logger: Logger, what: string): void {
  let down = false;
  redis.on("error", (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ event: "redis_unreachable", connection: what, reason: error.message }, `${what}: Redis is unreachable (${error.message}); reconnecting.`);
  });
  redis.on("ready", () => {
    if (!down) return;
    down = false;
    logger.info({ event: "redis_reconnected", connection: what }, `${what}: connected to Redis again.`);
  });
}
