import { TrialState } from "@shoal/core";
import { PartialStudyError, readStudyLease } from "@shoal/redis";
import { FAST_STALLS, loggedTrialNumbers, useCluster, type Cluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

// Without persistence: a restart brings Redis back empty, as a Redis without AOF or a failover to
// an empty replica does.
const env = useCluster({ persistence: "none" });

/** Each trial sleeps this long, so that a third of the way in several trials are running. */
const SLOW = { SHOAL_TEST_SLEEP_MS: "150" };

/** A pretty log line's time (`[W 2026-12-03 12:00:00,123] ...`, local time) in ms since the epoch. */
function lineTime(line: string): number {
  const m = /^\[[A-Z] (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3})\]/.exec(line);
  if (!m) throw new Error(`not a log line: ${line}`);
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}

/** The coordinator's log lines that match `pattern`. */
function linesMatching(log: string, pattern: RegExp): string[] {
  return log.split("\n").filter((l) => pattern.test(l));
}

const RESTORED = /Study "[^"]+" vanished from Redis .* restored from this coordinator's copy (\d+) ms after the loss was seen: (\d+) trial\(s\), (\d+) running, budget used (\d+)\. (\d+) running trial\(s\) whose jobs vanished/;

/** Waits until the study hash is whole again (direction, creation time, epoch), returning when. */
async function waitForWholeHash(c: Cluster, study: string, atLeastTrials: number): Promise<number> {
  await c.waitFor(`the study hash of "${study}" whole again`, async () => {
    try {
      const hash = await c.studyHash(study);
      return hash !== null && hash.epoch !== undefined && hash.nextNumber >= atLeastTrials;
    } catch (error) {
      if (error instanceof PartialStudyError) return false; // re-created in part by a write before the restore
      throw error;
    }
  }, 60_000);
  return Date.now();
}

/**
 * Runs a `budget`-trial study (random sampler, 2 workers x 2 slots) and calls `lose` once a third
 * of it is finished; then checks it ends whole: exactly its budget, all COMPLETE, each trial logged
 * once, one restore line, no stack trace, and the queries working on it. Returns the figures.
 */
async function studyThroughLoss(c: Cluster, study: string, budget: number, lose: () => Promise<void>) {
  const workers = await Promise.all(
    ["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, concurrency: 2, args: FAST_STALLS, env: SLOW })),
  );
  const coordinator = c.startCoordinator({ study, trials: budget, args: ["--sampler", "random"] });
  const third = Math.floor(budget / 3);
  await c.waitFor(`${third} finished trials`, async () => (await c.finished(study)).length >= third, 90_000);
  const finishedBefore = (await c.finished(study)).length;

  const lostAt = Date.now();
  await lose();
  const backAt = Date.now();
  const wholeAt = await waitForWholeHash(c, study, finishedBefore);

  expect((await coordinator.waitForExit(180_000)).code, c.describe()).toBe(0);
  const trials = await c.expectExactBudget(study, budget);
  // None FAILed (or was pruned) because of the loss: every trial ran to its value.
  expect(trials.filter((t) => t.state !== TrialState.COMPLETE).map((t) => [t.number, t.state])).toEqual([]);
  expect(trials.every((t) => typeof t.value === "number")).toBe(true);
  // Each trial recorded (and logged) once, though some ran twice.
  const logged = loggedTrialNumbers(coordinator.stderr);
  expect(logged.filter((n, i) => logged.indexOf(n) !== i), "trial numbers logged twice").toEqual([]);
  expect(logged).toHaveLength(budget);

  // One restore, whose line says what it wrote back and how many running trials it enqueued again.
  const restoredLines = linesMatching(coordinator.stderr, RESTORED);
  expect(restoredLines, coordinator.describe()).toHaveLength(1);
  const [, detectMs, restoredTrials, restoredRunning, , requeued] = (RESTORED.exec(restoredLines[0] as string) as RegExpExecArray).map(Number) as number[];
  // Everything the coordinator had recorded before the loss was written back.
  expect(restoredTrials).toBeGreaterThanOrEqual(finishedBefore);
  // The running trials' jobs vanished with Redis's data: each one is enqueued again.
  expect(requeued).toBe(restoredRunning);
  // BullMQ's Queue errors while Redis is gone, if any, are one line each: no stack traces.
  expect(coordinator.stderr, coordinator.describe()).not.toMatch(/^\s+at /m);

  // The restored study reads as any other.
  const [status, table] = await Promise.all([
    c.shoal(["status", ...c.target, "--study", study, "--format", "json"]),
    c.shoal(["trials", ...c.target, "--study", study, "--format", "json"]),
  ]);
  expect(status.code, status.stderr).toBe(0);
  const s = JSON.parse(status.stdout) as { studyName: string; counts: Record<string, number>; running: unknown[]; best: { number: number } | null };
  expect(s.studyName).toBe(study);
  expect(s.counts.COMPLETE).toBe(budget);
  expect(s.running).toEqual([]);
  const best = trials.reduce((a, b) => ((b.value as number) < (a.value as number) ? b : a));
  expect(s.best?.number).toBe(best.number);
  expect(table.code, table.stderr).toBe(0);
  const listed = JSON.parse(table.stdout) as Array<{ number: number; state: string }>;
  expect(listed.map((t) => t.number).sort((x, y) => x - y)).toEqual([...Array(budget).keys()]);
  expect(listed.every((t) => t.state === "COMPLETE")).toBe(true);

  // Both workers lived through it.
  expect(workers.every((w) => w.running)).toBe(true);
  await c.stopWorkers();

  const restoredAt = lineTime(restoredLines[0] as string);
  const gone = workers.reduce((sum, w) => sum + linesMatching(w.stderr + w.stdout, /its keys vanished from Redis/).length, 0);
  const figures = {
    study,
    // Loss: the kill (restart) or the FLUSHALL; back: the restarted server answers (FLUSHALL: at once).
    lossToSeenMs: restoredAt - (detectMs as number) - lostAt,
    lossToRestoreMs: restoredAt - lostAt,
    seenToRestoreMs: detectMs,
    backToRestoreMs: restoredAt - backAt,
    backToWholeHashMs: wholeAt - backAt,
    finishedBefore,
    restoredTrials,
    requeued,
    workerRunsDropped: gone,
  };
  console.info(`data-loss figures ${JSON.stringify(figures)}`);
  return { coordinator, figures };
}

describe("Redis loses its data mid-study", () => {
  it("restarted empty (no persistence): the coordinator restores the study and it ends with exactly its budget", async () => {
    const c = await env.cluster();
    // The restore line (checked in studyThroughLoss) is the proof that Redis came back empty: the
    // coordinator restores only a study whose epoch it no longer finds.
    const { coordinator } = await studyThroughLoss(c, "amnesia", 150, () => env.server().restart(1000));
    // The outage itself is one line, and so is the reconnection.
    expect(linesMatching(coordinator.stderr, /Redis at \S+ unreachable, retrying/)).toHaveLength(1);
  }, 300_000);

  it("FLUSHALL: the coordinator restores the study and it ends with exactly its budget", async () => {
    const c = await env.cluster();
    await studyThroughLoss(c, "flushed", 60, async () => {
      expect(await c.redis.flushall()).toBe("OK");
    });
  }, 300_000);

  it("cannot restore when another coordinator took the lease meanwhile: stops, non-zero, saying what was lost", async () => {
    const c = await env.cluster();
    await Promise.all(["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, concurrency: 2, args: FAST_STALLS, env: SLOW })));
    const coordinator = c.startCoordinator({ study: "taken", trials: 200, args: ["--sampler", "random"] });
    await c.waitFor("10 finished trials", async () => (await c.finished("taken")).length >= 10, 90_000);

    // Redis loses everything and, in the same instant, another coordinator takes the study's lease
    // (as one started elsewhere would, finding no lease): this coordinator cannot win it back.
    const other = "other-host:4242:0badcafe";
    await c.redis.multi().flushall().set(c.keys.lease("taken"), other, "PX", 120_000).exec();

    const { code } = await coordinator.waitForExit(60_000);
    expect(code, coordinator.describe()).not.toBe(0);
    const message = /shoal: (Redis lost study "taken".*)$/m.exec(coordinator.stderr)?.[1];
    expect(message, coordinator.describe()).toBeDefined();
    expect(message).toContain(`coordinator ${other} took the study's lease before this one could restore it`);
    const counts = /Lost from Redis: (\d+) trial\(s\) \((\d+) complete, 0 pruned, 0 failed, (\d+) running, 0 waiting\)/.exec(message as string);
    expect(counts, message).not.toBeNull();
    const [, total, complete, running] = (counts as RegExpExecArray).map(Number) as number[];
    expect(complete).toBeGreaterThanOrEqual(10);
    expect(total).toBe(complete + running);
    expect(message).toContain("Run Redis with persistence (AOF)");
    // One line, no stack trace.
    expect(coordinator.stderr).not.toMatch(/^\s+at /m);
    // It wrote nothing back over the other's study, and left the other's lease alone.
    expect(await readStudyLease(c.redis, c.keys, "taken")).toMatchObject({ holder: other });
    const hash = await c.studyHash("taken").catch((error: unknown) => (error instanceof PartialStudyError ? "partial" : Promise.reject(error)));
    expect(hash === null || hash === "partial", `study hash ${JSON.stringify(hash)}`).toBe(true);
    // No restore line.
    expect(linesMatching(coordinator.stderr, RESTORED)).toEqual([]);
  }, 300_000);

  it("cannot restore when a new coordinator started the study anew meanwhile: the old one stops, the new one's study ends whole", async () => {
    const c = await env.cluster();
    await Promise.all(["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, concurrency: 2, args: FAST_STALLS, env: SLOW })));
    const old = c.startCoordinator({ study: "anew", trials: 200, args: ["--sampler", "random"] });
    await c.waitFor("10 finished trials", async () => (await c.finished("anew")).length >= 10, 90_000);

    // The old coordinator freezes (a long GC pause, a suspended VM) while Redis loses everything and
    // a new coordinator, finding no study and no lease, starts the study anew.
    process.kill(old.pid, "SIGSTOP");
    try {
      await c.redis.flushall();
      const fresh = c.startCoordinator({ study: "anew", trials: 40, args: ["--sampler", "random"] });
      await c.waitFor("the new coordinator's lease and 5 finished trials", async () =>
        (await readStudyLease(c.redis, c.keys, "anew"))?.holder.includes(`:${fresh.pid}:`) === true && (await c.finished("anew")).length >= 5,
      90_000);
      process.kill(old.pid, "SIGCONT");

      const { code } = await old.waitForExit(60_000);
      expect(code, old.describe()).not.toBe(0);
      expect(old.stderr).toMatch(new RegExp(`shoal: Redis lost study "anew" .*could not restore it: coordinator \\S+:${fresh.pid}:\\S+ took the study's lease`));
      expect(old.stderr).not.toMatch(/^\s+at /m);

      // The new study is the new coordinator's alone: exactly its budget, each trial its own.
      expect((await fresh.waitForExit(180_000)).code, c.describe()).toBe(0);
      const trials = await c.expectExactBudget("anew", 40);
      expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
      const logged = loggedTrialNumbers(fresh.stderr);
      expect(logged).toHaveLength(40);
      expect(new Set(logged).size).toBe(40);
      // Nothing of the old coordinator's landed on it: each trial holds the value its coordinator logged.
      const values = new Map([...fresh.stderr.matchAll(/\] Trial (\d+) finished with value: (\S+) and/g)].map((m) => [Number(m[1]), Number(m[2])]));
      expect(trials.map((t) => [t.number, t.value])).toEqual(trials.map((t) => [t.number, values.get(t.number)]));
    } finally {
      if (old.running) process.kill(old.pid, "SIGCONT");
    }
  }, 300_000);
});
