/**
 * GPSampler on the cluster (issue 12): a real coordinator samples with the GP while two worker
 * processes run the trials, through real Redis. The GP reads only the trials, so a coordinator
 * killed mid-study and restarted rebuilds its model from Redis and carries on.
 */
import { TrialState } from "@shoal/core";
import { FAST_STALLS, useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();

/** quadratic.mjs's value: minimum 0 at (2, -1) on [-10, 10]^2. */
const best = (values: number[]): number => Math.min(...values);

describe("GPSampler on the cluster", () => {
  it("2 workers, 20 trials: exactly the budget, and the GP trials close in on the optimum", async () => {
    const c = await env.cluster();
    await Promise.all(["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, concurrency: 2, args: FAST_STALLS, env: { SHOAL_TEST_SLEEP_MS: "20" } })));
    const coordinator = c.startCoordinator({ study: "gp", trials: 20, objective: "quadratic.mjs", args: ["--sampler", "gp", "--seed", "1"] });
    expect((await coordinator.waitForExit(120_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("gp", 20);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    // The first 10 are random (nStartupTrials); the GP's 10 do far better on a smooth bowl.
    const startup = trials.slice(0, 10).map((t) => t.value!);
    const guided = trials.slice(10).map((t) => t.value!);
    expect(best(guided)).toBeLessThan(Math.min(best(startup), 1));
    for (const t of trials) {
      expect(Math.abs(t.params.x as number)).toBeLessThanOrEqual(10);
      expect(Math.abs(t.params.y as number)).toBeLessThanOrEqual(10);
    }
    await c.stopWorkers();
  });

  it("a coordinator SIGKILLed mid-study and restarted resumes the GP from the trials, with exactly its budget", async () => {
    const c = await env.cluster();
    await Promise.all(["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, concurrency: 2, env: { SHOAL_TEST_SLEEP_MS: "150" } })));
    const args = ["--sampler", "gp", "--seed", "2"];
    const first = c.startCoordinator({ study: "gp-restart", trials: 24, objective: "quadratic.mjs", args });
    await c.waitFor("12 finished trials", async () => (await c.finished("gp-restart")).length >= 12);
    await first.kill("SIGKILL");
    const before = await c.finished("gp-restart");
    const second = c.startCoordinator({ study: "gp-restart", trials: 24, objective: "quadratic.mjs", args });
    expect((await second.waitForExit(120_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("gp-restart", 24);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    for (const t of before) expect(trials[t.number]!.value).toBe(t.value);
    // The trials sampled after the restart are GP trials too (a random search would not get here).
    const after = trials.filter((t) => !before.some((b) => b.number === t.number)).map((t) => t.value!);
    expect(after.length).toBeGreaterThan(0);
    expect(best(after)).toBeLessThan(Math.min(best(trials.slice(0, 10).map((t) => t.value!)), 1));
    await c.stopWorkers();
  });
});
