import { TrialState } from "@shoal/core";
import { loggedTrialNumbers, useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();

describe("the global trial budget across worker processes", () => {
  it("3 workers and a coordinator run exactly 60 trials, numbered 0-59, none twice", async () => {
    const c = await env.cluster();
    const workers = await Promise.all(["a", "b", "c"].map((id) => c.startWorker("quadratic.mjs", { id, concurrency: 2, env: { SHOAL_TEST_SLEEP_MS: "20" } })));
    const coordinator = c.startCoordinator({ study: "sixty", trials: 60, args: ["--sampler", "random", "--seed", "1"] });
    expect((await coordinator.waitForExit(90_000)).code, coordinator.describe()).toBe(0);

    const trials = await c.expectExactBudget("sixty", 60);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    // Every trial recorded once: one log line each, and each job completed once.
    expect(loggedTrialNumbers(coordinator.stderr).sort((a, b) => a - b)).toEqual([...Array(60).keys()]);
    expect(coordinator.stdout).toMatch(/Study "sixty" \(minimize\): 60 trials: 60 complete, 0 pruned, 0 failed\./);
    const counts = await c.queue().getJobCounts("completed", "failed", "waiting", "active", "delayed");
    expect(counts).toEqual({ completed: 60, failed: 0, waiting: 0, active: 0, delayed: 0 });
    // The work was shared: each worker ran some trials.
    const byWorker = new Set(trials.map((t) => t.systemAttrs.worker));
    expect([...byWorker].sort()).toEqual(["a", "b", "c"]);
    expect(workers.every((w) => w.running)).toBe(true);
    await c.stopWorkers();
  });

  it("a worker that joins mid-study gets trials at once", async () => {
    const c = await env.cluster();
    // A slow first worker keeps the study going for a while; the one that joins is quick.
    await c.startWorker("quadratic.mjs", { id: "first", env: { SHOAL_TEST_SLEEP_MS: "1000" } });
    const coordinator = c.startCoordinator({ study: "join", trials: 12, args: ["--sampler", "random"] });
    await c.waitFor("a finished trial", async () => (await c.finished("join")).length >= 1);

    await c.startWorker("quadratic.mjs", { id: "late" });
    const lateTrial = await c.waitFor(
      "a trial started by the late worker",
      async () => (await c.trials("join")).find((t) => t.systemAttrs.worker === "late"),
      10_000,
    );
    expect(lateTrial.number).toBeLessThan(12);

    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(0);
    const trials = await c.expectExactBudget("join", 12);
    expect(trials.filter((t) => t.systemAttrs.worker === "late").length).toBeGreaterThan(2);
    await c.stopWorkers();
  });
});
