/**
 * A multi-objective study on the cluster (issue 16): real coordinator and worker processes, real
 * Redis. Every trial carries both values through the job, the result and the Redis hash, and
 * the study's Pareto front is the one computed from all of its trials.
 */
import { dominates, paretoFrontTrials, TrialState, type FrozenTrial } from "@shoal/core";
import { runShoal } from "@shoal/testing/cli";
import { FAST_STALLS, loggedTrialNumbers, useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();
const DIRECTIONS = ["minimize", "minimize"] as const;

/** The front by definition: complete trials no other complete trial dominates. */
function frontByDefinition(trials: readonly FrozenTrial[]): number[] {
  const done = trials.filter((t) => t.state === TrialState.COMPLETE);
  return done.filter((t) => !done.some((o) => dominates(o.values!, t.values!))).map((t) => t.number);
}

describe("a two-objective study on the cluster", () => {
  it.each([["TPE (MOTPE)", "tpe"], ["random search", "random"], ["NSGA-II", "nsga2"]])(
    "%s: 2 workers, 60 trials, each with 2 values; the front is the one of all trials; status and trials show it",
    async (_, sampler) => {
      const c = await env.cluster();
      await Promise.all(["a", "b"].map((id) => c.startWorker("zdt1.mjs", { id, concurrency: 2, args: FAST_STALLS, env: { SHOAL_TEST_SLEEP_MS: "20" } })));
      const study = `zdt-${sampler}`;
      const coordinator = c.startCoordinator({ study, trials: 60, objective: "zdt1.mjs", args: ["--sampler", sampler, "--seed", "3", "--directions", "minimize,minimize"] });
      expect((await coordinator.waitForExit(120_000)).code, c.describe()).toBe(0);
      const trials = await c.expectExactBudget(study, 60);
      expect(trials.filter((t) => !(t.state === TrialState.COMPLETE && t.values?.length === 2 && t.value === null)).slice(0, 2)).toEqual([]);
      for (const t of trials) expect(t.values![0]).toBeCloseTo(t.params.x0 as number, 12);
      if (sampler === "nsga2") {
        // Each trial's generation went through Redis with it; the first holds a whole population.
        const generations = trials.map((t) => t.systemAttrs["nsga2:generation"]);
        expect(generations.every((g) => typeof g === "number")).toBe(true);
        expect(generations.filter((g) => g === 0).length).toBeGreaterThanOrEqual(50);
        expect(Math.max(...(generations as number[]))).toBe(1);
      }
      expect(paretoFrontTrials(trials, DIRECTIONS).map((t) => t.number)).toEqual(frontByDefinition(trials));
      expect(new Set(loggedTrialNumbers(coordinator.stderr)).size).toBe(60);
      expect(coordinator.stderr).toMatch(/Trial \d+ finished with values: \[[0-9.e-]+, [0-9.e-]+\] and parameters: \{'x0': /);
      expect(coordinator.stdout).toMatch(/Study "zdt-\w+" \(minimize, minimize\): 60 trials: 60 complete, 0 pruned, 0 failed\.\nPareto front: \d+ trials?\n/);

      const status = await runShoal(["status", ...c.target, "--study", study, "--format", "json"]);
      expect(status.code, status.stderr).toBe(0);
      const json = JSON.parse(status.stdout) as { directions: string[]; best: unknown; paretoFront: number[] };
      expect(json.directions).toEqual(DIRECTIONS);
      expect(json.best).toBeNull();
      expect(json.paretoFront).toEqual(frontByDefinition(trials));
      const text = await runShoal(["status", ...c.target, "--study", study]);
      expect(text.stdout).toContain(`Pareto front: ${json.paretoFront.length} trial`);
      const csv = await runShoal(["trials", ...c.target, "--study", study, "--format", "csv"]);
      const [header, ...rows] = csv.stdout.trim().split("\n");
      expect(header!.split(",").slice(0, 3)).toEqual(["number", "values_0", "values_1"]);
      expect(rows).toHaveLength(60);
      await c.stopWorkers();
    },
  );

  it("constraints across the cluster: --constraints-attr reads each worker's user attr in the coordinator; the best trial is feasible", async () => {
    const c = await env.cluster();
    await Promise.all(["a", "b"].map((id) => c.startWorker("constrained.mjs", { id, concurrency: 2, args: FAST_STALLS })));
    const coordinator = c.startCoordinator({ study: "con", trials: 40, objective: "constrained.mjs", args: ["--seed", "5", "--constraints-attr", "c"] });
    expect((await coordinator.waitForExit(120_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("con", 40);
    for (const t of trials) expect(t.systemAttrs.constraints).toEqual([t.userAttrs.c]);
    const feasible = trials.filter((t) => (t.userAttrs.c as number) <= 0);
    expect(feasible.length).toBeGreaterThan(0);
    const best = feasible.reduce((a, b) => ((b.value as number) < (a.value as number) ? b : a));
    const status = await runShoal(["status", ...c.target, "--study", "con", "--format", "json"]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ best: { number: best.number, value: best.value } });
    await c.stopWorkers();
  });

  it("a coordinator SIGKILLed mid-study and restarted resumes it with its directions and ends with exactly its budget", async () => {
    const c = await env.cluster();
    await Promise.all(["a", "b"].map((id) => c.startWorker("zdt1.mjs", { id, concurrency: 2, env: { SHOAL_TEST_SLEEP_MS: "200" } })));
    const args = ["--sampler", "tpe", "--seed", "4", "--directions", "minimize,minimize"];
    const first = c.startCoordinator({ study: "zdt-restart", trials: 40, objective: "zdt1.mjs", args });
    await c.waitFor("10 finished trials", async () => (await c.finished("zdt-restart")).length >= 10);
    await first.kill("SIGKILL");
    const before = await c.finished("zdt-restart");
    // The restarted one takes the directions from the study (no --directions given).
    const second = c.startCoordinator({ study: "zdt-restart", trials: 40, objective: "zdt1.mjs", args: ["--sampler", "tpe", "--seed", "4"] });
    expect((await second.waitForExit(90_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("zdt-restart", 40);
    expect(trials.every((t) => t.state === TrialState.COMPLETE && t.values?.length === 2)).toBe(true);
    for (const t of before) expect(trials[t.number]!.values).toEqual(t.values);
    expect(paretoFrontTrials(trials, DIRECTIONS).map((t) => t.number)).toEqual(frontByDefinition(trials));
    // Giving other directions for the existing study is refused, naming both.
    const wrong = c.startCoordinator({ study: "zdt-restart", trials: 40, objective: "zdt1.mjs", args: ["--directions", "minimize,maximize"] });
    const { code } = await wrong.waitForExit(30_000);
    expect(code).not.toBe(0);
    expect(wrong.stderr).toContain('exists with directions [minimize, minimize], which differs from [minimize, maximize]');
    await c.stopWorkers();
  });
});
