import { TrialState } from "@shoal/core";
import { useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();

describe("pruning across worker processes", () => {
  it("a worker prunes its trials with the intermediate values other workers wrote to Redis", async () => {
    const c = await env.cluster();
    await c.startWorker("pruned.mjs", { id: "good" });
    // MedianPruner prunes only once 5 trials are complete: the first 5 trials, all on the good
    // worker, cannot be pruned (a sixth could, if worse than their median).
    const args = ["--sampler", "random", "--seed", "3"];
    const first = c.startCoordinator({ study: "prune", objective: "pruned.mjs", trials: 5, args });
    expect((await first.waitForExit(60_000)).code, first.describe()).toBe(0);
    expect((await c.trials("prune")).every((t) => t.state === TrialState.COMPLETE)).toBe(true);

    // This worker's every value is far worse than the good worker's, so it never completes a trial
    // itself: the only values its pruner can compare with are the other process's, read from Redis.
    await c.startWorker("pruned.mjs", { id: "bad", env: { SHOAL_TEST_BAD: "1" } });
    const coordinator = c.startCoordinator({ study: "prune", objective: "pruned.mjs", trials: 20, args });
    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(0);
    const trials = await c.expectExactBudget("prune", 20);
    const bad = trials.filter((t) => t.systemAttrs.worker === "bad");
    expect(bad.length).toBeGreaterThan(0);
    for (const t of bad) {
      expect(t.state).toBe(TrialState.PRUNED);
      // Pruned at its first report: the value is its last intermediate value.
      expect(t.intermediateValues).toEqual({ 0: 1000 });
      expect(t.value).toBe(1000);
      expect(coordinator.stderr).toContain(`Trial ${t.number} pruned. pruned at step 0`);
    }
    // The good worker's trials carry all their intermediate values into Redis.
    const good = trials.filter((t) => t.systemAttrs.worker === "good" && t.state === TrialState.COMPLETE);
    expect(good.length).toBeGreaterThanOrEqual(5);
    for (const t of good) expect(Object.keys(t.intermediateValues)).toEqual(["0", "1", "2", "3", "4"]);
    await c.stopWorkers();
  });
});
