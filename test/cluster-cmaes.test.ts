/**
 * CMA-ES on the cluster (issue 12): real coordinator and worker processes, real Redis. The
 * sampler's state is rebuilt from the trials' system attrs, so generations fill however the
 * workers finish, and a coordinator killed mid-study is replaced by one that carries on with the
 * same run and generation numbers instead of starting CMA-ES over.
 */
import { TrialState, type FrozenTrial } from "@shoal/core";
import { FAST_STALLS, useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();
/** quadratic.mjs has 2 floats: CMA-ES's default population is 4 + floor(3 ln 2) = 6. */
const POPSIZE = 6;

function generationsOf(trials: readonly FrozenTrial[]): number[] {
  return trials.map((t) => t.systemAttrs["cma:generation"]).filter((g): g is number => typeof g === "number");
}

/** Every generation but the newest was told with at least popsize COMPLETE trials. */
function expectFullGenerations(trials: readonly FrozenTrial[]): void {
  const counts = new Map<number, number>();
  for (const t of trials) {
    const g = t.systemAttrs["cma:generation"];
    if (t.state === TrialState.COMPLETE && typeof g === "number") counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  const gens = [...counts.keys()].sort((a, b) => a - b);
  expect(gens).toEqual(gens.map((_, i) => i));
  for (const g of gens.slice(0, -1)) expect(counts.get(g)).toBeGreaterThanOrEqual(POPSIZE);
}

describe("CMA-ES on the cluster", () => {
  it("2 workers, 60 trials: exactly the budget, generations in the trials' system attrs, and it converges", async () => {
    const c = await env.cluster();
    await Promise.all(["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, concurrency: 2, args: FAST_STALLS, env: { SHOAL_TEST_SLEEP_MS: "20" } })));
    const coordinator = c.startCoordinator({ study: "cma", trials: 60, objective: "quadratic.mjs", args: ["--sampler", "cmaes", "--seed", "3"] });
    expect((await coordinator.waitForExit(120_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("cma", 60);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    const generations = generationsOf(trials);
    // All but the first (random) trial, and a few still in flight at startup, went through CMA-ES.
    expect(generations.length).toBeGreaterThanOrEqual(55);
    expect(Math.max(...generations)).toBeGreaterThanOrEqual(5);
    expectFullGenerations(trials);
    const best = Math.min(...trials.map((t) => t.value!));
    expect(best).toBeLessThan(0.5);
    await c.stopWorkers();
  });

  it("a coordinator SIGKILLed mid-study and restarted resumes CMA-ES where it was: generations continue", async () => {
    const c = await env.cluster();
    await Promise.all(["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, concurrency: 2, env: { SHOAL_TEST_SLEEP_MS: "100" } })));
    const args = ["--sampler", "cmaes", "--seed", "4"];
    const first = c.startCoordinator({ study: "cma-restart", trials: 70, objective: "quadratic.mjs", args });
    await c.waitFor("25 finished trials", async () => (await c.finished("cma-restart")).length >= 25);
    await first.kill("SIGKILL");
    const before = await c.finished("cma-restart");
    const reached = Math.max(...generationsOf(before));
    expect(reached).toBeGreaterThanOrEqual(2);
    const second = c.startCoordinator({ study: "cma-restart", trials: 70, objective: "quadratic.mjs", args });
    expect((await second.waitForExit(120_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("cma-restart", 70);
    for (const t of before) expect(trials[t.number]!.params).toEqual(t.params);
    // The new coordinator's trials carry on from the generation reached, not from 0 again.
    const later = trials.filter((t) => t.number > Math.max(...before.map((b) => b.number)));
    const laterGenerations = generationsOf(later);
    expect(laterGenerations.length).toBeGreaterThan(0);
    expect(Math.min(...laterGenerations)).toBeGreaterThanOrEqual(reached);
    expect(Math.max(...generationsOf(trials))).toBeGreaterThan(reached);
    expectFullGenerations(trials);
    await c.stopWorkers();
  });
});
