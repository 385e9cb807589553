import { describe, expect, it } from "vitest";
import { TrialState } from "@shoal/core";
import { useCluster } from "@shoal/testing/cluster";

const env = useCluster();

/** Waits until the queue's waiting count has not changed for 2 s (announcements refresh every second), then returns it. */
async function settledWaiting(c: Awaited<ReturnType<typeof env.cluster>>): Promise<number> {
  let last = { waiting: -1, since: Date.now() };
  return c.waitFor("the queue to settle", async () => {
    const counts = await c.queue().getJobCounts("waiting", "active");
    const waiting = counts.waiting ?? 0;
    if (waiting !== last.waiting || counts.active !== 2) last = { waiting, since: Date.now() };
    return Date.now() - last.since >= 2000 ? waiting : null;
  });
}

describe("how far the coordinator samples ahead of its workers", () => {
  // Two slots whose trials take minutes after two quick ones (which show the coordinator the
  // study's parameters): the cluster holds still once the queue is topped up.
  const slow = { SHOAL_TEST_SLEEP_MS: "120000", SHOAL_TEST_SLEEP_FROM: "2" };

  it("a sampler that learns from results (TPE): two trials queued beyond the busy slots", async () => {
    const c = await env.cluster();
    await c.startWorker("quadratic.mjs", { id: "w", concurrency: 2, env: slow });
    c.startCoordinator({ study: "late", trials: 50, args: ["--sampler", "tpe"] });
    expect(await settledWaiting(c)).toBe(2);
  });

  it("random search, which loses nothing by sampling early: 8 trials queued per slot, and at least 48", async () => {
    const c = await env.cluster();
    await c.startWorker("quadratic.mjs", { id: "w", concurrency: 2, env: slow });
    c.startCoordinator({ study: "early", trials: 100, args: ["--sampler", "random"] });
    expect(await settledWaiting(c)).toBe(48);
  });
});

describe("a study that stops with trials still queued", () => {
  it("puts the trials no worker took back to WAITING with their params, and runs them first on resume", async () => {
    const c = await env.cluster();
    // One slot, half a second a trial: with random search the rest of the budget waits in the queue.
    await c.startWorker("quadratic.mjs", { id: "w", concurrency: 1, env: { SHOAL_TEST_SLEEP_MS: "500" } });
    const first = c.startCoordinator({ study: "stopped", trials: 12, args: ["--sampler", "random", "--timeout", "2"] });
    expect((await first.waitForExit(30_000)).code, first.describe()).toBe(0);
    const after = await c.trials("stopped");
    const waiting = after.filter((t) => t.state === TrialState.WAITING);
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    expect(after.filter((t) => t.state === TrialState.RUNNING)).toEqual([]);
    expect(await c.queue().getJobCounts("waiting", "active")).toEqual({ waiting: 0, active: 0 });
    for (const t of waiting) {
      expect(Object.keys(t.systemAttrs.fixedParams as object).sort()).toEqual(["x", "y"]);
      expect(first.stderr).toContain(`Trial ${t.number} was queued but not started when the study stopped`);
    }
    const done = after.length - waiting.length;

    // Resumed: the WAITING trials run first, with the params they were given.
    const resumed = c.startCoordinator({ study: "stopped", trials: done + waiting.length, args: ["--sampler", "random"] });
    expect((await resumed.waitForExit(30_000)).code, resumed.describe()).toBe(0);
    const final = await c.expectExactBudget("stopped", after.length);
    for (const t of waiting) {
      const now = final[t.number]!;
      expect(now.state).toBe(TrialState.COMPLETE);
      expect(now.params).toEqual(t.systemAttrs.fixedParams);
    }
    await c.stopWorkers();
  });
});
