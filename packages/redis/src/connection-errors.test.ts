import { createLogger } from "@shoal/core";
import { startTestRedis, useTestRedis, waitFor, type TestRedis } from "@shoal/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisConnection } from "./connection.js";
import { connectFirst, isAuthFailure, isConnectionFailure, logBullMqError, RedisOutageLog } from "./connection-errors.js";
import { RedisAuthError, RedisUnreachableError } from "./errors.js";
import { redactRedisUrl } from "./redact-url.js";

function capture(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ sink: { write: (text) => lines.push(...text.split("\n").filter((l) => l.length > 0)) } });
  return { logger, lines };
}

/** A connection that was given up on makes no more attempts (which would keep the process alive). */
async function expectNoMoreAttempts(redis: Redis): Promise<void> {
  let attempts = 0;
  redis.on("connecting", () => (attempts += 1));
  redis.on("reconnecting", () => (attempts += 1));
  await new Promise((r) => setTimeout(r, 1200));
  expect(attempts).toBe(0);
}

describe("redactRedisUrl", () => {
  it.each([
    ["redis://:sekret@h:6380", "redis://***@h:6380"],
    ["redis://user:sekret@h:6380/2", "redis://***@h:6380/2"],
    ["rediss://user@h", "rediss://***@h"],
    ["redis://127.0.0.1:6379", "redis://127.0.0.1:6379"],
  ])("%s -> %s", (url, shown) => {
    expect(redactRedisUrl(url)).toBe(shown);
  });
});

describe("error kinds", () => {
  it("tells a refused password and a lost socket from a command's error", () => {
    expect(isAuthFailure(new Error("WRONGPASS invalid username-password pair or user is disabled."))).toBe(true);
    expect(isAuthFailure(new Error("NOAUTH Authentication required."))).toBe(true);
    expect(isAuthFailure(new Error("connect ECONNREFUSED 127.0.0.1:1"))).toBe(false);
    expect(isConnectionFailure(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
    expect(isConnectionFailure(new Error("Connection is closed."))).toBe(true);
    expect(isConnectionFailure(new Error("Missing lock for job s.1. moveToFinished"))).toBe(false);
  });

  it("logs a BullMQ error that is not the connection's in one line, and drops the connection's", () => {
    const { logger, lines } = capture();
    logBullMqError(logger, "Worker", new Error("connect ECONNREFUSED 127.0.0.1:1"));
    logBullMqError(logger, "Worker", new Error("something odd"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[W .*\] Worker: something odd$/);
  });
});

describe("connectFirst", () => {
  const env = useTestRedis();
  let locked: TestRedis;
  beforeAll(async () => {
    locked = await startTestRedis({ own: true, password: "sekret" });
  });
  afterAll(async () => {
    await locked.stop();
  });

  it("resolves once every connection is ready", async () => {
    const a = createRedisConnection(env.url);
    const b = createRedisConnection(env.url);
    await connectFirst([a, b], env.url, 5000);
    expect([a.status, b.status]).toEqual(["ready", "ready"]);
    a.disconnect();
    b.disconnect();
  });

  it("connects with the URL's password, and fails at once with a masked one-line error on a wrong one", async () => {
    const good = createRedisConnection(locked.url);
    await connectFirst([good], locked.url, 5000);
    expect(await good.ping()).toBe("PONG");
    good.disconnect();

    const wrong = locked.url.replace(":sekret@", ":wrong@");
    const redis = createRedisConnection(wrong);
    const started = Date.now();
    const error = await connectFirst([redis], wrong, 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisAuthError);
    const port = new URL(locked.url).port;
    expect((error as Error).message).toBe(`authentication failed for redis://***@127.0.0.1:${port}: check the user and password in the Redis URL.`);
    expect((error as Error).message).not.toContain("wrong");
    expect(Date.now() - started).toBeLessThan(5000);
    await expectNoMoreAttempts(redis);
  });

  it("gives up on an address nothing listens on after the timeout, and disconnects", async () => {
    const url = "redis://127.0.0.1:1";
    const redis = createRedisConnection(url);
    const started = Date.now();
    const error = await connectFirst([redis], url, 800).catch((e: unknown) => e);
    const ms = Date.now() - started;
    expect(error).toBeInstanceOf(RedisUnreachableError);
    expect((error as Error).message).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:1 unreachable: no connection within 0\.8 s \(connect ECONNREFUSED/);
    expect(ms).toBeGreaterThanOrEqual(780);
    expect(ms).toBeLessThan(3000);
    await expectNoMoreAttempts(redis);
  });
});

describe("RedisOutageLog", () => {
  let server: TestRedis;
  beforeAll(async () => {
    server = await startTestRedis({ own: true });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("logs an outage of several connections once when it starts and once when all are back", async () => {
    const { logger, lines } = capture();
    const outages = new RedisOutageLog(server.url, logger);
    const connections = [0, 1, 2].map(() => outages.watch(createRedisConnection(server.url)));
    await connectFirst(connections, server.url, 5000);
    await server.restart(1500);
    await waitFor("every connection back", () => connections.every((c) => c.status === "ready") && !outages.down, { timeoutMs: 15_000 });
    for (const c of connections) c.disconnect();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^\\[W .*\\] Redis at ${server.url.replace(/[.]/g, "\\.")} unreachable, retrying \\(`));
    expect(lines[1]).toMatch(new RegExp(`^\\[I .*\\] Redis at ${server.url.replace(/[.]/g, "\\.")} reachable again after \\d+\\.\\d s$`));
  });
});
