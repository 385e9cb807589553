import type { Logger } from "@shoal/core";
import type { Redis } from "ioredis";
import { redactRedisUrl } from "./redact-url.js";
import { RedisAuthError, RedisUnreachableError } from "./errors.js";

/** How long a command waits for its first connection to Redis, by default (`--connect-timeout`). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** Redis's answers to a wrong or missing password (AUTH, or a command sent before it). */
const AUTH_FAILURE = /WRONGPASS|NOAUTH|invalid password|invalid username-password/i;

/** Errors of the socket, not of a command: Redis is down, restarting, or out of reach. */
const CONNECTION_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|Connection is closed|connect ETIMEDOUT|Socket closed unexpectedly|Stream isn't writeable|MaxRetriesPerRequest|LOADING/;

/** Whether Redis refused the connection's credentials. */
export function isAuthFailure(error: unknown): boolean {
  return error instanceof Error && AUTH_FAILURE.test(error.message);
}

/**
 * Whether the error is the connection's, not the command's: logged as an outage (once), never as
 * an error of its own; the connection reconnects by itself.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined && CONNECTION_FAILURE.test(code)) || CONNECTION_FAILURE.test(error.message) || error.name === "MaxRetriesPerRequestError";
}

/**
 * Waits until every connection is ready, for at most `timeoutMs`: a command's first connection is
 * bounded, so a wrong URL or a Redis that is not there fails in seconds with one line instead of
 * retrying for ever. Rejects with RedisAuthError at the first refused password (retrying cannot
 * help), RedisUnreachableError at the timeout, naming the last error seen. The connections keep
 * retrying meanwhile; on a rejection they are disconnected, since their retries would keep the
 * process alive.
 */
export function connectFirst(connections: readonly Redis[], url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let lastError: Error | null = null;
    let settled = false;
    const cleanups: Array<() => void> = [];
    // Several connections may fail at once (a wrong password fails them all): the first decides.
    const done = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const c of cleanups) c();
      if (error) {
        for (const c of connections) c.disconnect();
        reject(error);
      }
      else resolve();
    };
    const check = (): void => {
      if (connections.every((c) => c.status === "ready")) done(null);
    };
    const timer = setTimeout(() => done(new RedisUnreachableError(url, timeoutMs, lastError?.message)), timeoutMs);
    for (const c of connections) {
      const onError = (error: Error): void => {
        if (isAuthFailure(error)) return done(new RedisAuthError(url));
        lastError = error;
      };
      c.on("error", onError);
      c.on("ready", check);
      cleanups.push(() => {
        c.off("error", onError);
        c.off("ready", check);
      });
    }
    check();
  });
}

/**
 * One process's view of Redis being reachable: its long-lived connections are watched together,
 * so an outage is logged as one line when it starts ("Redis at ... unreachable, retrying") and one
 * when every connection is back, however many connections and retries it took. Every watched
 * connection gets an error listener, so ioredis never prints its "Unhandled error event" stack.
 */
export class RedisOutageLog {
  private readonly connections: Redis[] = [];
  private downSince: number | null = null;
  private readonly where: string;

  constructor(
    url: string,
    private readonly logger: Logger,
  ) {
    this.where = redactRedisUrl(url);
  }

  /** Whether an outage is going on (logged and not yet over). */
  get down(): boolean {
    return this.downSince !== null;
  }

  /** Watches a connection; errors before its first `ready` are connectFirst's to report. */
  watch(redis: Redis): Redis {
    this.connections.push(redis);
    let connected = false;
    redis.on("error", (error: Error) => {
      if (connected) this.noteFailure(error);
    });
    redis.on("ready", () => {
      connected = true;
      this.noteReady();
    });
    return redis;
  }

  /**
   * A connection (one of BullMQ's own, say) failed: starts an outage unless one is going on or
   * the error was not the connection's.
   */
  noteFailure(error: Error): void {
    if (this.downSince !== null) return;
    this.downSince = Date.now();
    this.logger.warn(
      { event: "redis_unreachable", redis: this.where, reason: error.message },
      `Redis at ${this.where} unreachable, retrying (${error.message})`,
    );
  }

  private noteReady(): void {
    if (this.downSince === null || !this.connections.every((c) => c.status === "ready")) return;
    const ms = Date.now() - this.downSince;
    this.downSince = null;
    this.logger.info({ event: "redis_reconnected", redis: this.where, ms }, `Redis at ${this.where} reachable again after ${(ms / 1000).toFixed(1)} s`);
  }
}

/**
 * A BullMQ Queue's or Worker's "error" event, in one line: a connection's error is the outage's,
 * which RedisOutageLog logs once for the process, so it is dropped here; any other is logged
 * with its message only (its stack is BullMQ's, not the user's).
 */
export function logBullMqError(logger: Logger, source: string, error: Error): void {
  if (isConnectionFailure(error)) return;
  logger.warn({ event: "bullmq_error", source, reason: error.message }, `${source}: ${error.message}`);
}
