import { createLogger, RandomSampler } from "@shoal/core";
import { ShoalKeys, ShutdownCutShortError } from "@shoal/redis";
import { useTestRedis, waitFor } from "@shoal/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCoordinator } from "./coordinator.js";

// A server of this file's own (AOF on), so the test can restart it under the coordinator.
const env = useTestRedis({ own: true });

afterEach(() => {
  vi.restoreAllMocks();
});

/** A logger whose lines are kept, one string a line. */
function capturedLog() {
  const lines: string[] = [];
  const logger = createLogger({ sink: { write: (text) => lines.push(...text.split("\n").filter((l) => l !== "")) } });
  return { lines, logger };
}

describe("runCoordinator through a Redis outage", () => {
  it("logs the outage once and its return, and prints no stack trace (BullMQ's Queue errors included)", async () => {
    // What BullMQ prints of an error nobody listens to goes to console.error: record it.
    const printed: unknown[][] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void printed.push(args));
    const { lines, logger } = capturedLog();
    const keys = new ShoalKeys(env.prefix);
    const stop = new AbortController();
    // No worker: its two trials (QUEUE_AHEAD, with no worker slot) stay queued, so the coordinator is still running when Redis goes.
    const running = runCoordinator({
      redisUrl: env.url,
      prefix: env.prefix,
      studyName: "outage",
      trialBudget: 2,
      sampler: new RandomSampler({ seed: 1 }),
      logger,
      signal: stop.signal,
    });
    await waitFor("2 trials enqueued", async () => (await env.redis.scard(keys.running("outage"))) === 2);

    // The test's own client is down too: its errors are not the coordinator's.
    env.redis.on("error", () => undefined);
    await env.server.restart(1500);
    await waitFor("the coordinator back on Redis", () => lines.some((l) => l.includes(`Redis at ${env.url} reachable again after`)), { timeoutMs: 30_000 });
    stop.abort();
    const study = await running;

    // The queued trials were taken back when it stopped: it really talked to Redis after the outage.
    expect(study.getTrials().map((t) => t.state)).toEqual(["WAITING", "WAITING"]);
    expect(lines.filter((l) => l.includes(`Redis at ${env.url} unreachable, retrying`))).toHaveLength(1);
    expect(lines.filter((l) => /^\s+at /.test(l))).toEqual([]);
    expect(printed).toEqual([]);
  });
});

describe("runCoordinator stopped while Redis is unreachable", () => {
  it("with no worker running its trials: rejects at once with ShutdownCutShortError, whatever the grace", async () => {
    const { lines, logger } = capturedLog();
    const keys = new ShoalKeys(env.prefix);
    const stop = new AbortController();
    const running = runCoordinator({
      redisUrl: env.url,
      prefix: env.prefix,
      studyName: "cut",
      trialBudget: 5,
      sampler: new RandomSampler({ seed: 1 }),
      logger,
      signal: stop.signal,
      shutdownGraceMs: 60_000,
    });
    const outcome = running.then(
      () => null,
      (error: unknown) => error,
    );
    await waitFor("2 trials enqueued", async () => (await env.redis.scard(keys.running("cut"))) === 2);
    env.redis.on("error", () => undefined);
    try {
      await env.server.down();
      await waitFor("the outage seen", () => lines.some((l) => l.includes("unreachable, retrying")), { timeoutMs: 15_000 });
      const abortedAt = Date.now();
      stop.abort();
      const error = await outcome;
      expect(Date.now() - abortedAt).toBeLessThan(1000);
      expect(error).toBeInstanceOf(ShutdownCutShortError);
      const cut = error as ShutdownCutShortError;
      expect(cut.cut).toMatchObject({ reason: "unreachable", running: 0, redisDown: true, graceMs: 60_000 });
      expect(cut.message).toContain(`no worker runs a trial of study "cut": exiting now; 2 trials left for recovery`);
    } finally {
      await env.server.up();
    }
  });
});
