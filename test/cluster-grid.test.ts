/**
 * GridSampler on the cluster (issue 12): the coordinator hands each trial its grid point in the
 * job (as an enqueued trial's fixed params), the two workers run them, and the study stops once
 * every point is done, long before its budget, as Optuna's GridSampler stops a study.
 */
import { TrialState } from "@shoal/core";
import { FAST_STALLS, useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();
const GRID = { x: [-1, -0.5, 0, 0.5, 1], act: ["relu", "tanh"] };

describe("GridSampler on the cluster", () => {
  it("2 workers, a 10-point grid under a budget of 100: every point runs once, then the study stops and the coordinator exits 0", async () => {
    const c = await env.cluster();
    await Promise.all(["a", "b"].map((id) => c.startWorker("grid.mjs", { id, concurrency: 2, args: FAST_STALLS, env: { SHOAL_TEST_SLEEP_MS: "30" } })));
    const coordinator = c.startCoordinator({ study: "grid", trials: 100, objective: "grid.mjs", args: ["--sampler", "grid", "--grid", JSON.stringify(GRID), "--seed", "1"] });
    expect((await coordinator.waitForExit(120_000)).code, c.describe()).toBe(0);
    const trials = await c.trials("grid");
    const done = trials.filter((t) => t.state === TrialState.COMPLETE);
    const points = new Set(done.map((t) => `${String(t.params.x)}/${String(t.params.act)}`));
    expect(points.size).toBe(10);
    // No repeat: the trial that took the last free point stopped the study; what was queued ran.
    expect(done).toHaveLength(10);
    expect(trials).toHaveLength(10);
    for (const t of done) expect(t.systemAttrs.grid_id).toEqual(expect.any(Number));
    expect(coordinator.stdout).toMatch(/Best trial: \d+\n {2}Value: 0\b/);
    await c.stopWorkers();
  });
});
