import { Redis, type RedisOptions } from "ioredis";
import { RedisUrlError } from "./errors.js";
import { redactRedisUrl } from "./redact-url.js";

export { redactRedisUrl };

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
    // disconnect() of a connection between retries waits this long for a socket that is already
    // closed (ioredis's default: 2 s), which keeps a command that gave up alive that long.
    disconnectTimeout: 200,
    lazyConnect: false,
    ...options,
  });
}

