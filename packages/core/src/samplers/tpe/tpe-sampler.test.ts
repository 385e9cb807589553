import { describe, expect, it } from "vitest";
import { containsValue } from "../../distributions.js";
import { InvalidOptionError } from "../../errors.js";
import { createLogger } from "../../logging.js";
import { createStudy, type CreateStudyOptions } from "../../study.js";
import type { BaseTrial } from "../../trial.js";
import { TrialState } from "../../trial-state.js";
import { RandomSampler } from "../random-sampler.js";
import type { Sampler } from "../sampler.js";
import { COMPLETE, fakeStudy, frozenTrial, RUNNING } from "./test-fixtures/trials.js";
import { optunaTPEDefaults } from "./tpe-options.js";
import { TPESampler } from "./tpe-sampler.js";

const silent = createLogger({ level: "silent" });

function study(sampler: Sampler, options: CreateStudyOptions = {}) {
  return createStudy({ sampler, logger: silent, ...options });
}

/** Every kind of parameter, conditional ones included. */
function mixedObjective(t: BaseTrial): number {
  const a = t.suggestFloat("float_step", -1, 1, { step: 0.1 });
  const b = t.suggestInt("int_step", 0, 20, { step: 4 });
  const c = t.suggestInt("int_log", 1, 1000, { log: true });
  const d = t.suggestFloat("float_log", 1e-4, 1, { log: true });
  const e = t.suggestFloat("float", -3, 3);
  const f = t.suggestCategorical("cat", [null, true, false, "x", 3]);
  let extra = 0;
  if (f === "x") extra = t.suggestFloat("only_x", 0, 1);
  return a * a + (b - 8) ** 2 / 10 + Math.log10(c) + Math.abs(Math.log10(d)) + e * e + (f === true ? 0 : 1) + extra;
}

async function runMixed(sampler: Sampler, nTrials = 40) {
  const s = study(sampler);
  await s.optimize(mixedObjective, { nTrials });
  return s;
}

describe("TPESampler options", () => {
  it("rejects bad options naming the option and the allowed range", () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ nStartupTrials: -1 }, "nStartupTrials"],
      [{ nStartupTrials: 1.5 }, "nStartupTrials"],
      [{ nEiCandidates: 0 }, "nEiCandidates"],
      [{ priorWeight: 0 }, "priorWeight"],
      [{ priorWeight: Number.NaN }, "priorWeight"],
      [{ multivariate: "yes" }, "multivariate"],
      [{ group: true, multivariate: false }, "group"],
      [{ gamma: 3 }, "gamma"],
      [{ weights: null }, "weights"],
      [{ seed: Number.POSITIVE_INFINITY }, "seed"],
    ];
    for (const [options, name] of bad) {
      let error: unknown;
      try {
        new TPESampler(options);
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe(name);
    }
    expect(() => new TPESampler({ nStartupTrials: -1 })).toThrow(/nStartupTrials.*integer >= 0/);
    expect(() => new TPESampler({ group: true, multivariate: false })).toThrow(/multivariate/);
  });

  it("checks what gamma and weights return when they are used", async () => {
    const badWeights = new TPESampler({ seed: 1, nStartupTrials: 2, weights: () => [1] });
    await expect(runMixed(badWeights, 5)).rejects.toThrow(/weights\(\d+\) must return \d+ numbers/);
    const badGamma = new TPESampler({ seed: 1, nStartupTrials: 2, gamma: () => Number.NaN });
    await expect(runMixed(badGamma, 5)).rejects.toThrow(/gamma/);
  });

  it("accepts custom gamma and weights (number[] or Float64Array)", async () => {
    const sampler = new TPESampler({
      seed: 1,
      nStartupTrials: 3,
      gamma: (n) => Math.ceil(n / 2),
      weights: (n) => Array.from({ length: n }, (_, i) => i + 1),
    });
    const s = await runMixed(sampler, 15);
    expect(s.trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
  });
});

describe("TPESampler sampling", () => {
  for (const [label, options] of [
    ["univariate", { ...optunaTPEDefaults }],
    ["multivariate", { multivariate: true }],
    ["multivariate + group", { multivariate: true, group: true }],
  ] as const) {
    it(`returns in-range values on each parameter's grid (${label})`, async () => {
      const s = await runMixed(new TPESampler({ ...options, seed: 7, nStartupTrials: 5 }), 40);
      for (const trial of s.trials) {
        expect(trial.state).toBe(TrialState.COMPLETE);
        for (const [name, value] of Object.entries(trial.params)) {
          expect(containsValue(trial.distributions[name]!, value), `${name}=${String(value)}`).toBe(true);
        }
      }
      // Every choice kind came back as itself, null and booleans included.
      const cats = new Set(s.trials.map((t) => t.params.cat));
      for (const c of cats) expect([null, true, false, "x", 3]).toContain(c);
    });
  }

  it("reproduces a study bit for bit from the seed", async () => {
    for (const options of [{}, { ...optunaTPEDefaults }, { group: true }]) {
      const a = await runMixed(new TPESampler({ ...options, seed: 42, nStartupTrials: 5 }), 25);
      const b = await runMixed(new TPESampler({ ...options, seed: 42, nStartupTrials: 5 }), 25);
      const c = await runMixed(new TPESampler({ ...options, seed: 43, nStartupTrials: 5 }), 25);
      expect(b.trials.map((t) => t.params)).toEqual(a.trials.map((t) => t.params));
      expect(c.trials.map((t) => t.params)).not.toEqual(a.trials.map((t) => t.params));
    }
  });

  it("samples at random, as RandomSampler with the same seed, until nStartupTrials finished", async () => {
    const objective = (t: BaseTrial): number => t.suggestFloat("x", 0, 1);
    const tpe = study(new TPESampler({ seed: 5, nStartupTrials: 4 }));
    const random = study(new RandomSampler({ seed: 5 }));
    await tpe.optimize(objective, { nTrials: 6 });
    await random.optimize(objective, { nTrials: 6 });
    const xs = (s: typeof tpe): unknown[] => s.trials.map((t) => t.params.x);
    expect(xs(tpe).slice(0, 4)).toEqual(xs(random).slice(0, 4));
    expect(xs(tpe)[4]).not.toEqual(xs(random)[4]);
  });

  it("counts PRUNED trials toward the startup and as observations", async () => {
    const s = study(new TPESampler({ seed: 3, nStartupTrials: 3 }));
    const random = study(new RandomSampler({ seed: 3 }));
    for (let i = 0; i < 3; i++) {
      const t = s.ask();
      t.report(t.suggestFloat("x", 0, 1), 0);
      s.tell(t, undefined, { state: TrialState.PRUNED });
      random.tell(random.ask(), 0);
    }
    const next = s.ask();
    const x = next.suggestFloat("x", 0, 1);
    const r = random.ask();
    expect(x).not.toBe(r.suggestFloat("x", 0, 1));
    expect(s.trials.filter((t) => t.state === TrialState.PRUNED)).toHaveLength(3);
  });

  it("handles conditional spaces: a trial without a parameter is no observation of it", async () => {
    const objective = (t: BaseTrial): number => {
      const branch = t.suggestCategorical("branch", ["a", "b"]);
      if (branch === "a") return t.suggestFloat("xa", -5, 5) ** 2;
      return 10 + t.suggestFloat("xb", -5, 5) ** 2;
    };
    for (const options of [{ ...optunaTPEDefaults }, { multivariate: true }, { multivariate: true, group: true }]) {
      const s = study(new TPESampler({ ...options, seed: 11, nStartupTrials: 10 }));
      await s.optimize(objective, { nTrials: 60 });
      const late = s.trials.slice(30);
      expect(late.filter((t) => t.params.branch === "a").length).toBeGreaterThan(0.7 * late.length);
      expect(s.bestValue).toBeLessThan(0.5);
      for (const t of s.trials) expect("xa" in t.params).toBe(t.params.branch === "a");
    }
  });

  it('multivariate "auto" (the default) samples jointly with one or two objectives, one at a time with three or more', () => {
    const spaceAfter = (nObjectives: number, multivariate?: boolean | "auto") => {
      const sampler = new TPESampler({ seed: 1, ...(multivariate === undefined ? {} : { multivariate }) });
      const s = study(sampler, { directions: Array.from({ length: nObjectives }, () => "minimize" as const) });
      for (let i = 0; i < 12; i++) {
        const t = s.ask();
        const x = t.suggestFloat("x", 0, 1);
        const y = t.suggestFloat("y", 0, 1);
        s.tell(t, Array.from({ length: nObjectives }, (_, k) => (k % 2 === 0 ? x + y * k : 1 - x + y)));
      }
      const t = s.ask();
      return Object.keys(sampler.inferRelativeSearchSpace(s, t.frozen())).sort();
    };
    expect(spaceAfter(1)).toEqual(["x", "y"]);
    expect(spaceAfter(2)).toEqual(["x", "y"]);
    expect(spaceAfter(3)).toEqual([]);
    expect(spaceAfter(3, true)).toEqual(["x", "y"]);
    expect(spaceAfter(2, false)).toEqual([]);
    expect(() => new TPESampler({ multivariate: "yes" as never })).toThrow('Invalid option "multivariate": must be true, false or "auto", got yes.');
  });

  it("infers the intersection (multivariate) or the groups (group) as the relative space", async () => {
    const objective = (t: BaseTrial): number => {
      const x = t.suggestFloat("x", 0, 1);
      return t.suggestCategorical("c", ["p", "q"]) === "p" ? x + t.suggestFloat("p1", 0, 1) : x;
    };
    const mv = new TPESampler({ seed: 1, multivariate: true });
    const grouped = new TPESampler({ seed: 1, multivariate: true, group: true });
    const univariate = new TPESampler({ seed: 1, multivariate: false });
    for (const sampler of [mv, grouped, univariate]) {
      const s = study(sampler);
      await s.optimize(objective, { nTrials: 12 });
      const t = s.trials.at(-1)!;
      const space = Object.keys(sampler.inferRelativeSearchSpace(s, t)).sort();
      const hasP = s.trials.some((x) => x.params.c === "p");
      const hasQ = s.trials.some((x) => x.params.c === "q");
      expect(hasP && hasQ).toBe(true);
      if (sampler === mv) expect(space).toEqual(["c", "x"]);
      if (sampler === grouped) expect(space).toEqual(["c", "p1", "x"]);
      if (sampler === univariate) expect(space).toEqual([]);
    }
  });

  it("beats random search on a 2-D quadratic, by a wide margin (median over seeds)", async () => {
    const objective = (t: BaseTrial): number =>
      (t.suggestFloat("x", -10, 10) - 1) ** 2 + (t.suggestFloat("y", -10, 10) + 2) ** 2;
    const medianBest = async (make: (seed: number) => Sampler): Promise<number> => {
      const bests: number[] = [];
      for (let seed = 0; seed < 7; seed++) {
        const s = study(make(seed));
        await s.optimize(objective, { nTrials: 60 });
        bests.push(s.bestValue);
      }
      return bests.sort((a, b) => a - b)[3] as number;
    };
    const random = await medianBest((seed) => new RandomSampler({ seed }));
    const tpe = await medianBest((seed) => new TPESampler({ ...optunaTPEDefaults, seed }));
    const tpeDefault = await medianBest((seed) => new TPESampler({ seed }));
    expect(tpe).toBeLessThan(random / 4);
    expect(tpeDefault).toBeLessThan(random / 4);
  });

  it("maximizes when the study does", async () => {
    const objective = (t: BaseTrial): number => -((t.suggestFloat("x", -10, 10) - 3) ** 2);
    const s = study(new TPESampler({ seed: 2 }), { direction: "maximize" });
    await s.optimize(objective, { nTrials: 50 });
    expect(s.bestValue).toBeGreaterThan(-0.05);
    const late = s.trials.slice(30).map((t) => t.params.x as number);
    expect(late.filter((x) => Math.abs(x - 3) < 2).length).toBeGreaterThan(late.length / 2);
  });
});

describe("TPESampler constant liar", () => {
  const x01 = { kind: "float", low: 0, high: 1, step: null, log: false } as const;
  // 20 finished trials whose value is x (best near 0), then 30 RUNNING trials crowding x = 0.05.
  const finished = Array.from({ length: 20 }, (_, i) => {
    const x = (i + 0.5) / 20;
    return frozenTrial(i, COMPLETE, x, { x }, { x: x01 });
  });
  const running = Array.from({ length: 30 }, (_, i) => frozenTrial(20 + i, RUNNING, null, { x: 0.05 }, { x: x01 }));
  const current = frozenTrial(50, RUNNING, null);
  const view = fakeStudy([...finished, ...running, current]);

  function distancesFromCrowd(constantLiar: boolean): number[] {
    const out: number[] = [];
    for (let seed = 0; seed < 15; seed++) {
      const sampler = new TPESampler({ seed, constantLiar, multivariate: false });
      out.push(Math.abs((sampler.sampleIndependent(view, current, "x", x01) as number) - 0.05));
    }
    return out.sort((a, b) => a - b);
  }

  it("steers away from where RUNNING trials already are", () => {
    const withLiar = distancesFromCrowd(true);
    const without = distancesFromCrowd(false);
    // Median distance from the crowd grows clearly once the running trials count as bad.
    expect(withLiar[7]!).toBeGreaterThan(2 * without[7]!);
  });

  it("leaves RUNNING trials out of the startup count", () => {
    // 20 finished < 25 startup: random sampling, with or without the liar, despite 30 running.
    const a = new TPESampler({ seed: 1, constantLiar: true, nStartupTrials: 25 });
    const r = new RandomSampler({ seed: 1 });
    expect(a.sampleIndependent(view, current, "x", x01)).toBe(r.sampleIndependent(view, current, "x", x01));
  });
});
