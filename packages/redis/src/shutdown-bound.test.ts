import { createLogger } from "@shoal/core";
import { startTestRedis, waitFor, type TestRedis } from "@shoal/testing";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RedisOutageLog } from "./connection-errors.js";
import { createRedisConnection } from "./connection.js";
import { ShutdownBound, trialCount } from "./shutdown-bound.js";

/** A real Redis watched by a RedisOutageLog, so "unreachable" is an outage the log saw. */
let server: TestRedis;
let redis: Redis;
let outages: RedisOutageLog;

beforeEach(async () => {
  server = await startTestRedis({ own: true });
  outages = new RedisOutageLog(server.url, createLogger({ sink: { write: () => undefined } }));
  redis = outages.watch(createRedisConnection(server.url));
  await waitFor("the connection", () => redis.status === "ready");
});

afterEach(async () => {
  redis.disconnect();
  await server.stop();
});

async function redisDown(): Promise<void> {
  await server.stop();
  await waitFor("the outage to be seen", () => outages.down);
}

describe("ShutdownBound", () => {
  it("Redis reachable: waits out the grace while trials run, then says how many it left", async () => {
    const startedAt = Date.now();
    const cut = await new ShutdownBound({ graceMs: 400, outages, running: () => 2 }).cut;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(390);
    expect(cut).toEqual({ reason: "grace", running: 2, redisDown: false, graceMs: 400 });
  });

  it("Redis reachable and nothing running: the drain is left to finish, bounded by the grace", async () => {
    const cut = await new ShutdownBound({ graceMs: 300, outages, running: () => 0 }).cut;
    expect(cut.reason).toBe("grace");
  });

  it("Redis unreachable and nothing running: cut at once", async () => {
    await redisDown();
    const startedAt = Date.now();
    const cut = await new ShutdownBound({ graceMs: 60_000, outages, running: () => 0 }).cut;
    expect(Date.now() - startedAt).toBeLessThan(50);
    expect(cut).toEqual({ reason: "unreachable", running: 0, redisDown: true, graceMs: 60_000 });
  });

  it("Redis unreachable with a trial running: cut when the trial ends, or at the grace", async () => {
    await redisDown();
    let running = 1;
    const startedAt = Date.now();
    const bound = new ShutdownBound({ graceMs: 60_000, outages, running: () => running });
    setTimeout(() => (running = 0), 300);
    const cut = await bound.cut;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(cut.reason).toBe("unreachable");

    const graceStart = Date.now();
    const timed = await new ShutdownBound({ graceMs: 500, outages, running: () => 3 }).cut;
    expect(Date.now() - graceStart).toBeGreaterThanOrEqual(490);
    expect(timed).toEqual({ reason: "grace", running: 3, redisDown: true, graceMs: 500 });
  });

  it("Redis going down during the shutdown cuts it once nothing runs", async () => {
    const bound = new ShutdownBound({ graceMs: 60_000, outages, running: () => 0 });
    let settled = false;
    void bound.cut.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 250));
    expect(settled).toBe(false);
    await redisDown();
    expect((await bound.cut).reason).toBe("unreachable");
  });

  it("a shutdown that finished in time cancels it: it never settles", async () => {
    const bound = new ShutdownBound({ graceMs: 200, outages, running: () => 1 });
    bound.cancel();
    const outcome = await Promise.race([bound.cut.then(() => "cut"), new Promise((r) => setTimeout(() => r("none"), 600))]);
    expect(outcome).toBe("none");
  });

  it("counts trials in words", () => {
    expect([0, 1, 2].map(trialCount)).toEqual(["0 trials", "1 trial", "2 trials"]);
  });
});
