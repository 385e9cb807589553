import { describe, expect, it } from "vitest";
import { containsValue } from "../../distributions.js";
import { InvalidOptionError } from "../../errors.js";
import { createLogger } from "../../logging.js";
import { InMemoryStorage } from "../../storage/in-memory-storage.js";
import { createStudy, loadStudy, type CreateStudyOptions } from "../../study.js";
import type { BaseTrial } from "../../trial.js";
import { TrialState } from "../../trial-state.js";
import { GPMultiObjectiveError, GPSampler } from "./gp-sampler.js";
import type { GPSamplerOptions } from "./gp-options.js";
import { GPSearchSpace } from "./search-space.js";

const silent = createLogger({ level: "silent" });
/** Fewer acquisition points than the default keeps these tests quick; the algorithm is the same. */
const quick: GPSamplerOptions = { nPreliminarySamples: 256, nLocalSearch: 4 };

function study(sampler: GPSampler, options: CreateStudyOptions = {}) {
  return createStudy({ sampler, logger: silent, ...options });
}

function branin(t: BaseTrial): number {
  const x1 = t.suggestFloat("x1", -5, 10);
  const x2 = t.suggestFloat("x2", 0, 15);
  return (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
}

/** Every kind of parameter, and a conditional one (outside the joint space: sampled independently). */
function mixedObjective(t: BaseTrial): number {
  const a = t.suggestFloat("float_step", -1, 1, { step: 0.1 });
  const b = t.suggestInt("int_step", 0, 20, { step: 4 });
  const c = t.suggestInt("int_log", 1, 1000, { log: true });
  const d = t.suggestFloat("float_log", 1e-4, 1, { log: true });
  const e = t.suggestFloat("float", -3, 3);
  const f = t.suggestCategorical("cat", [null, true, false, "x", 3]);
  const g = t.suggestInt("int_wide", -50, 50);
  let extra = 0;
  if (f === "x") extra = t.suggestFloat("only_x", 0, 1);
  return (a - 0.3) ** 2 + (b - 8) ** 2 / 10 + Math.abs(Math.log10(c) - 1) + Math.abs(Math.log10(d) + 2) + e * e + (f === true ? 0 : 1) + extra + Math.abs(g - 17) / 10;
}

function sequential(s: ReturnType<typeof study>, objective: (t: BaseTrial) => number, n: number): void {
  for (let i = 0; i < n; i++) {
    const trial = s.ask();
    s.tell(trial, objective(trial));
  }
}

describe("GPSampler options", () => {
  it("rejects bad options naming the option", () => {
    const bad: Array<[GPSamplerOptions, string]> = [
      [{ nStartupTrials: -1 }, "nStartupTrials"],
      [{ nStartupTrials: 2.5 }, "nStartupTrials"],
      [{ nPreliminarySamples: 0 }, "nPreliminarySamples"],
      [{ nLocalSearch: 0 }, "nLocalSearch"],
      [{ seed: Number.NaN }, "seed"],
      [{ deterministicObjective: "yes" as unknown as boolean }, "deterministicObjective"],
      [{ constraintsFunc: 3 as unknown as () => number[] }, "constraintsFunc"],
    ];
    for (const [options, name] of bad) {
      let error: unknown;
      try {
        new GPSampler(options);
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe(name);
    }
  });

  it("throws GPMultiObjectiveError on a multi-objective study, naming the alternatives", () => {
    const s = study(new GPSampler({ seed: 1 }), { directions: ["minimize", "maximize"] });
    expect(() => s.ask()).toThrow(GPMultiObjectiveError);
    expect(() => s.ask()).toThrow(/2 objectives.*TPESampler.*NSGAIISampler/);
  });
});

describe("GPSampler", () => {
  it("stays in bounds and respects log, int, step and categorical parameters", () => {
    const s = study(new GPSampler({ seed: 3, nStartupTrials: 5, ...quick }));
    sequential(s, mixedObjective, 30);
    for (const trial of s.trials) {
      expect(trial.state).toBe(TrialState.COMPLETE);
      for (const [name, value] of Object.entries(trial.params)) {
        expect(containsValue(trial.distributions[name]!, value), `${name}=${String(value)} in trial ${trial.number}`).toBe(true);
      }
    }
    // The GP trials improve on the random ones: a real model, not noise.
    const values = s.trials.map((t) => t.value!);
    expect(Math.min(...values.slice(5))).toBeLessThan(Math.min(...values.slice(0, 5)));
  });

  it("gets near branin's optimum (0.3979) in 40 trials", () => {
    const s = study(new GPSampler({ seed: 0 }));
    sequential(s, branin, 40);
    expect(s.bestValue).toBeLessThan(0.41);
  });

  it("maximises as well as it minimises", () => {
    const s = study(new GPSampler({ seed: 2, ...quick }), { direction: "maximize" });
    sequential(s, (t) => -branin(t), 30);
    expect(s.bestValue).toBeGreaterThan(-0.6);
  });

  it("is deterministic under a seed", () => {
    const run = () => {
      const s = study(new GPSampler({ seed: 11, nStartupTrials: 4, ...quick }));
      sequential(s, mixedObjective, 14);
      return s.trials.map((t) => t.params);
    };
    const a = run();
    expect(run()).toEqual(a);
    const other = study(new GPSampler({ seed: 12, nStartupTrials: 4, ...quick }));
    sequential(other, mixedObjective, 14);
    expect(other.trials.map((t) => t.params)).not.toEqual(a);
  });

  it("works with ask/tell and enqueued trials (their params are kept, and modelled)", () => {
    const s = study(new GPSampler({ seed: 5, nStartupTrials: 3, ...quick }));
    s.enqueueTrial({ x1: Math.PI, x2: 2.275 });
    sequential(s, branin, 4);
    expect(s.trials[0]!.params).toEqual({ x1: Math.PI, x2: 2.275 });
    s.enqueueTrial({ x1: -5 });
    const t = s.ask();
    const v = branin(t);
    expect(t.params.x1).toBe(-5);
    s.tell(t, v);
    sequential(s, branin, 3);
    expect(s.trials).toHaveLength(8);
    expect(s.bestValue).toBeCloseTo(0.3979, 3);
  });

  it("handles trials told out of order, failed ones and running ones", () => {
    const s = study(new GPSampler({ seed: 9, nStartupTrials: 3, ...quick }));
    const open = Array.from({ length: 6 }, () => s.ask());
    const values = open.map((t) => branin(t));
    for (const i of [4, 1, 5, 0]) s.tell(open[i]!, values[i]);
    s.tell(open[2]!, undefined, { state: TrialState.FAIL });
    // Trial 3 stays RUNNING: new suggestions are conditioned on it (kriging believer).
    const later = Array.from({ length: 4 }, () => s.ask());
    for (const t of later.reverse()) s.tell(t, branin(t));
    s.tell(open[3]!, values[3]);
    const complete = s.getTrials({ states: [TrialState.COMPLETE] });
    expect(complete).toHaveLength(9);
    for (const t of complete) {
      expect(t.params.x1).toBeGreaterThanOrEqual(-5);
      expect(t.params.x1).toBeLessThanOrEqual(10);
    }
  });

  it("spreads parallel suggestions: a running trial's point is not suggested again", () => {
    const s = study(new GPSampler({ seed: 4, nStartupTrials: 5, deterministicObjective: true, ...quick }));
    sequential(s, branin, 12);
    const a = s.ask();
    a.suggestFloat("x1", -5, 10);
    a.suggestFloat("x2", 0, 15);
    const b = s.ask();
    b.suggestFloat("x1", -5, 10);
    b.suggestFloat("x2", 0, 15);
    expect(Math.hypot(Number(a.params.x1) - Number(b.params.x1), Number(a.params.x2) - Number(b.params.x2))).toBeGreaterThan(1e-3);
  });

  it("continues a study from the trials alone (a restarted process, a fresh sampler)", () => {
    const storage = new InMemoryStorage();
    const first = createStudy({ sampler: new GPSampler({ seed: 1, nStartupTrials: 5, ...quick }), storage, studyName: "resume", logger: silent });
    sequential(first, branin, 12);
    const resumed = loadStudy({ studyName: "resume", storage, sampler: new GPSampler({ seed: 1, nStartupTrials: 5, ...quick }), logger: silent });
    sequential(resumed, branin, 12);
    expect(resumed.trials).toHaveLength(24);
    expect(resumed.bestValue).toBeLessThan(0.6);
  });

  it("with deterministicObjective, interpolates: it never re-suggests an observed point", () => {
    const s = study(new GPSampler({ seed: 6, nStartupTrials: 5, deterministicObjective: true, ...quick }));
    sequential(s, branin, 25);
    const seen = new Set(s.trials.map((t) => `${t.params.x1},${t.params.x2}`));
    expect(seen.size).toBe(25);
    expect(s.bestValue).toBeLessThan(0.5);
  });

  it("with constraintsFunc, stores the constraints and finds the best feasible point", () => {
    // Minimise x^2 + y^2 subject to x + y >= 1: the optimum is (0.5, 0.5), value 0.5.
    const sampler = new GPSampler({ seed: 8, nStartupTrials: 8, constraintsFunc: (t) => [1 - Number(t.params.x) - Number(t.params.y)], ...quick });
    const s = study(sampler);
    sequential(s, (t) => t.suggestFloat("x", -2, 2) ** 2 + t.suggestFloat("y", -2, 2) ** 2, 30);
    for (const t of s.trials) expect(t.systemAttrs.constraints).toEqual([1 - Number(t.params.x) - Number(t.params.y)]);
    const feasible = s.trials.filter((t) => (t.systemAttrs.constraints as number[])[0]! <= 0);
    const best = Math.min(...feasible.map((t) => t.value!));
    expect(best).toBeLessThan(0.56);
    // Most model-guided trials are feasible or close to the boundary.
    const guided = s.trials.slice(8);
    expect(guided.filter((t) => (t.systemAttrs.constraints as number[])[0]! <= 0.1).length).toBeGreaterThan(guided.length / 2);
  });

  it("rejects a constraintsFunc returning NaN, naming the option and the trial", () => {
    const s = study(new GPSampler({ seed: 1, constraintsFunc: () => [Number.NaN] }));
    expect(() => sequential(s, branin, 1)).toThrow(/constraintsFunc.*NaN.*trial 0/);
  });
});

describe("GPSearchSpace", () => {
  it("scales log, int, step and categorical values to the GP's coordinates and back", () => {
    const space = new GPSearchSpace({
      f: { kind: "float", low: -2, high: 6, step: null, log: false },
      g: { kind: "float", low: 1e-3, high: 10, step: null, log: true },
      i: { kind: "int", low: 0, high: 9, step: 1, log: false },
      l: { kind: "int", low: 1, high: 100, step: 1, log: true },
      s: { kind: "float", low: 0, high: 1, step: 0.25, log: false },
      c: { kind: "categorical", choices: ["a", "b", "c"] },
    });
    expect(space.normalize(0, -2)).toBe(0);
    expect(space.normalize(0, 6)).toBe(1);
    expect(space.normalize(1, Math.sqrt(1e-3 * 10))).toBeCloseTo(0.5, 12);
    // Ints own equal cells: 0 is the centre of [-0.5, 0.5] in [-0.5, 9.5].
    expect(space.normalize(2, 0)).toBeCloseTo(0.05, 12);
    expect(space.normalize(5, "c")).toBe(2);
    const params = { f: 1.5, g: 0.02, i: 7, l: 42, s: 0.75, c: "b" };
    const x = new Float64Array(6);
    space.normalizeParams(params, x, 0);
    const back = space.unnormalize(x);
    expect(back.g as number).toBeCloseTo(0.02, 14);
    expect({ ...back, g: 0.02 }).toEqual(params);
    // Any point of the unit box maps into the distributions, rounded onto grids.
    for (const corner of [0, 1, 0.5, 0.999999]) {
      const p = space.unnormalize(new Float64Array(6).fill(corner).map((v, d) => (d === 5 ? v * 2.99 : v)));
      expect(p.i).toBe(Math.round(p.i as number));
      expect((p.s as number) * 4).toBe(Math.round((p.s as number) * 4));
      expect(p.f as number).toBeGreaterThanOrEqual(-2);
      expect(p.l as number).toBeLessThanOrEqual(100);
    }
    expect(space.roundOne(2, 0.12)).toBeCloseTo(0.15, 12);
  });
});
