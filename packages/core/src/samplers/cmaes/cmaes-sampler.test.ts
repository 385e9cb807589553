import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../errors.js";
import { createLogger } from "../../logging.js";
import { InMemoryStorage } from "../../storage/in-memory-storage.js";
import { createStudy, loadStudy, type Study } from "../../study.js";
import type { BaseTrial } from "../../trial.js";
import { TrialState } from "../../trial-state.js";
import { CmaEsSampler, DRAW_ATTR, GENERATION_ATTR, RESTART_ATTR, type CmaEsSamplerOptions } from "./cmaes-sampler.js";

const silent = createLogger({ level: "silent" });

function sphere(trial: BaseTrial, n = 4, shift = 0.3): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (trial.suggestFloat(`x${i}`, -5, 5) - shift) ** 2;
  return s;
}

function run(options: CmaEsSamplerOptions, trials: number, objective: (t: BaseTrial) => number, study?: Study): Study {
  const s = study ?? createStudy({ sampler: new CmaEsSampler(options), logger: silent });
  for (let i = 0; i < trials; i++) {
    const t = s.ask();
    s.tell(t, objective(t));
  }
  return s;
}

describe("CmaEsSampler", () => {
  it("converges on a sphere in a bounded number of generations", () => {
    const study = run({ seed: 1, popsize: 8 }, 8 * 60, (t) => sphere(t));
    expect(study.bestValue).toBeLessThan(1e-6);
    const gens = study.trials.map((t) => t.systemAttrs[GENERATION_ATTR]).filter((g) => typeof g === "number") as number[];
    expect(Math.max(...gens)).toBeLessThanOrEqual(60);
    // Generations fill in order, popsize trials each.
    expect(gens.slice(0, 16)).toEqual([...Array(8).fill(0), ...Array(8).fill(1)]);
  });

  it("beats random search on a rotated ellipsoid (the covariance adapts)", () => {
    const f = (t: BaseTrial): number => {
      const x = [0, 1, 2].map((i) => t.suggestFloat(`x${i}`, -1, 1));
      return (x[0]! + x[1]!) ** 2 + 100 * (x[0]! - x[1]!) ** 2 + 10 * x[2]! ** 2;
    };
    expect(run({ seed: 2 }, 300, f).bestValue).toBeLessThan(1e-4);
  });

  it("stays in bounds and respects log, int, step and categorical params", () => {
    const study = run({ seed: 3 }, 120, (t) => {
      const a = t.suggestFloat("a", 1e-4, 1, { log: true });
      const b = t.suggestInt("b", -3, 7);
      const c = t.suggestFloat("c", 0, 1, { step: 0.1 });
      const d = t.suggestInt("d", 1, 1000, { log: true });
      const e = t.suggestCategorical("e", ["x", "y"]);
      const f = t.suggestInt("f", 0, 20, { step: 5 });
      return Math.log10(a) ** 2 + (b - 2) ** 2 + (c - 0.7) ** 2 + Math.log(d) + (e === "x" ? 1 : 0) + f;
    });
    for (const t of study.trials) {
      const p = t.params;
      expect(p.a as number).toBeGreaterThanOrEqual(1e-4);
      expect(p.a as number).toBeLessThanOrEqual(1);
      expect(Number.isInteger(p.b) && (p.b as number) >= -3 && (p.b as number) <= 7).toBe(true);
      expect([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]).toContain(p.c);
      expect(Number.isInteger(p.d) && (p.d as number) >= 1 && (p.d as number) <= 1000).toBe(true);
      expect(["x", "y"]).toContain(p.e);
      expect([0, 5, 10, 15, 20]).toContain(p.f);
    }
    // The numeric ones are CMA-ES's, the categorical one is not.
    const last = study.trials.at(-1)!;
    expect(last.systemAttrs[GENERATION_ATTR]).toBeGreaterThan(0);
    expect((last.systemAttrs[DRAW_ATTR] as number[]).length).toBe(5);
    expect(study.bestParams.b).toBe(2);
  });

  it("is deterministic under a seed, and differs across seeds", () => {
    const values = (seed: number): unknown[] => run({ seed }, 60, (t) => sphere(t, 3)).trials.map((t) => t.params);
    expect(values(5)).toEqual(values(5));
    expect(values(5)).not.toEqual(values(6));
  });

  it("works with ask/tell and enqueued trials, whose values are told as they are", () => {
    const study = createStudy({ sampler: new CmaEsSampler({ seed: 4, popsize: 4 }), logger: silent });
    study.enqueueTrial({ x0: 0.3, x1: 0.3 });
    const first = study.ask();
    study.tell(first, sphere(first, 2));
    expect(first.params).toEqual({ x0: 0.3, x1: 0.3 });
    study.enqueueTrial({ x0: 1, x1: -1 });
    for (let i = 0; i < 40; i++) {
      const t = study.ask();
      study.tell(t, sphere(t, 2));
    }
    expect(study.trials[1]!.params).toEqual({ x0: 1, x1: -1 });
    expect(study.trials[1]!.systemAttrs[GENERATION_ATTR]).toBe(0);
    expect(study.bestValue).toBeLessThan(0.5);
  });

  it("tells a generation once popsize trials of it are COMPLETE, whatever order they finish in; failed ones are re-asked", () => {
    const study = createStudy({ sampler: new CmaEsSampler({ seed: 7, popsize: 6 }), logger: silent });
    const running: ReturnType<Study["ask"]>[] = [];
    let k = 0;
    for (let i = 0; i < 150; i++) {
      running.push(study.ask());
      if (running.length >= 5) {
        // The newest but one finishes first; every seventh trial fails.
        const [t] = running.splice(running.length - 2, 1);
        if (k++ % 7 === 3) study.tell(t!, undefined, { state: TrialState.FAIL });
        else study.tell(t!, sphere(t!, 3));
      }
    }
    for (const t of running) study.tell(t, sphere(t, 3));
    const complete = study.trials.filter((t) => t.state === TrialState.COMPLETE && typeof t.systemAttrs[GENERATION_ATTR] === "number");
    const counts = new Map<number, number>();
    for (const t of complete) counts.set(t.systemAttrs[GENERATION_ATTR] as number, (counts.get(t.systemAttrs[GENERATION_ATTR] as number) ?? 0) + 1);
    const gens = [...counts.keys()].sort((a, b) => a - b);
    expect(gens.length).toBeGreaterThan(10);
    expect(gens).toEqual(gens.map((_, i) => i));
    for (const g of gens.slice(0, -1)) expect(counts.get(g)).toBeGreaterThanOrEqual(6);
    expect(study.bestValue).toBeLessThan(0.05);
  });

  it("restarts with a larger population (IPOP) once a run has converged", () => {
    // A flat objective stops the first run by tolfun; the restart doubles the population.
    const study = run({ seed: 8, popsize: 5, restartStrategy: "ipop" }, 400, (t) => Math.round(sphere(t, 2) * 0) + 1);
    const restarts = study.trials.map((t) => t.systemAttrs[RESTART_ATTR]).filter((r) => typeof r === "number") as number[];
    expect(Math.max(...restarts)).toBeGreaterThanOrEqual(1);
    const second = study.trials.filter((t) => t.systemAttrs[RESTART_ATTR] === 1);
    const gen0 = second.filter((t) => t.systemAttrs[GENERATION_ATTR] === 0);
    expect(gen0.length).toBeGreaterThanOrEqual(10);
    // Without a restart strategy the run never restarts.
    const none = run({ seed: 8, popsize: 5 }, 200, () => 1);
    expect(none.trials.every((t) => (t.systemAttrs[RESTART_ATTR] ?? 0) === 0)).toBe(true);
  });

  it("restarts after convergence on a sphere and keeps finding it (IPOP and BIPOP)", () => {
    for (const restartStrategy of ["ipop", "bipop"] as const) {
      const study = run({ seed: 9, restartStrategy }, 1500, (t) => sphere(t, 2));
      const restarts = new Set(study.trials.map((t) => t.systemAttrs[RESTART_ATTR]));
      expect(restarts.size).toBeGreaterThan(2);
      expect(study.bestValue).toBeLessThan(1e-8);
    }
  });

  it("with margin keeps int params moving instead of sticking on one value", () => {
    // The optimum needs b = 9; without margin, sigma shrinks below one cell and b stops moving.
    const f = (t: BaseTrial): number => {
      const a = t.suggestFloat("a", -1, 1);
      const b = t.suggestInt("b", 0, 30);
      return 100 * a * a + (b - 9) ** 2 + (b === 9 ? -1 : 0);
    };
    const distinct = (s: Study): number => new Set(s.trials.slice(-60).map((t) => t.params.b)).size;
    const margin = run({ seed: 10, withMargin: true }, 300, f);
    expect(margin.bestParams.b).toBe(9);
    // Late in the run, the margin still has the int coordinate trying neighbours.
    expect(distinct(margin)).toBeGreaterThanOrEqual(2);
    // Without it the int coordinate has collapsed onto one value by then.
    expect(distinct(run({ seed: 10 }, 300, f))).toBe(1);
    for (const t of margin.trials) expect(Number.isInteger(t.params.b)).toBe(true);
  });

  it("rebuilds its state from the storage: a second Study object continues identically", () => {
    const storage = new InMemoryStorage();
    const objective = (t: BaseTrial): number => sphere(t, 3);
    const a = createStudy({ storage, studyName: "s", sampler: new CmaEsSampler({ seed: 11, popsize: 5 }), logger: silent });
    run({}, 37, objective, a);
    // One coordinator carries on...
    const reference = createStudy({ storage: new InMemoryStorage(), studyName: "s", sampler: new CmaEsSampler({ seed: 11, popsize: 5 }), logger: silent });
    run({}, 60, objective, reference);
    // ...a fresh sampler on a fresh Study object over the same storage picks up at trial 37.
    const b = loadStudy({ storage, studyName: "s", sampler: new CmaEsSampler({ seed: 11, popsize: 5 }), logger: silent });
    run({}, 23, objective, b);
    expect(b.trials.map((t) => t.params)).toEqual(reference.trials.map((t) => t.params));
    expect(b.trials.map((t) => t.systemAttrs[GENERATION_ATTR])).toEqual(reference.trials.map((t) => t.systemAttrs[GENERATION_ATTR]));
  });

  it("separable CMA and warm start work, and maximize flips the ranking", () => {
    expect(run({ seed: 12, useSeparableCma: true }, 300, (t) => sphere(t, 5)).bestValue).toBeLessThan(1e-3);
    const source = run({ seed: 13 }, 50, (t) => sphere(t, 3, 2));
    const warm = run({ seed: 13, warmStartTrials: source.trials }, 20, (t) => sphere(t, 3, 2));
    const cold = run({ seed: 13 }, 20, (t) => sphere(t, 3, 2));
    const mean = (s: Study): number => s.trials.slice(1).reduce((acc, t) => acc + t.value!, 0) / (s.trials.length - 1);
    expect(mean(warm)).toBeLessThan(mean(cold));
    const max = createStudy({ direction: "maximize", sampler: new CmaEsSampler({ seed: 14 }), logger: silent });
    run({}, 200, (t) => -sphere(t, 2), max);
    expect(max.bestValue).toBeGreaterThan(-1e-4);
  });

  it("counts pruned trials with their last value only when asked to", () => {
    const objective = (t: BaseTrial): number => sphere(t, 2);
    const make = (considerPrunedTrials: boolean): Study => {
      const s = createStudy({ sampler: new CmaEsSampler({ seed: 15, popsize: 4, considerPrunedTrials }), logger: silent });
      for (let i = 0; i < 30; i++) {
        const t = s.ask();
        const v = objective(t);
        if (i % 2 === 1) {
          t.report(v, 0);
          s.tell(t, undefined, { state: TrialState.PRUNED });
        } else s.tell(t, v);
      }
      return s;
    };
    const maxGen = (s: Study): number => Math.max(...s.trials.map((t) => (t.systemAttrs[GENERATION_ATTR] as number | undefined) ?? 0));
    expect(maxGen(make(true))).toBeGreaterThan(maxGen(make(false)));
  });

  it("rejects bad options with the field and the allowed range", () => {
    expect(() => new CmaEsSampler({ sigma0: 0 })).toThrow(InvalidOptionError);
    expect(() => new CmaEsSampler({ sigma0: 2 })).toThrow('Invalid option "sigma0": must be a number in (0, 1]');
    expect(() => new CmaEsSampler({ popsize: 1 })).toThrow('Invalid option "popsize": must be an integer >= 2 (trials per generation), got 1');
    expect(() => new CmaEsSampler({ popsize: 4.5 })).toThrow(/popsize/);
    expect(() => new CmaEsSampler({ restartStrategy: "nope" as "ipop" })).toThrow(/restartStrategy/);
    expect(() => new CmaEsSampler({ incPopsize: 0 })).toThrow(/incPopsize/);
    expect(() => new CmaEsSampler({ withMargin: true, useSeparableCma: true })).toThrow(/withMargin/);
    const source = run({ seed: 1 }, 3, (t) => t.suggestFloat("other", 0, 1));
    expect(() => run({ warmStartTrials: source.trials }, 5, (t) => sphere(t, 2))).toThrow(/warmStartTrials.*x0, x1/);
  });
});
