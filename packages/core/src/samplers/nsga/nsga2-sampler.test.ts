import { describe, expect, it } from "vitest";
import { createLogger } from "../../logging.js";
import { hypervolume } from "../../multi-objective/hypervolume.js";
import { toLosses } from "../../multi-objective/dominance.js";
import { createStudy } from "../../study.js";
import type { BaseTrial } from "../../trial.js";
import { TrialState } from "../../trial-state.js";
import { RandomSampler } from "../random-sampler.js";
import { SBXCrossover, SPXCrossover, UNDXCrossover, BLXAlphaCrossover, UniformCrossover } from "./crossovers.js";
import { GENERATION_ATTR, NSGAIISampler } from "./nsga2-sampler.js";

const silent = createLogger({ level: "silent" });

function zdt1(trial: BaseTrial): [number, number] {
  const x = Array.from({ length: 6 }, (_, i) => trial.suggestFloat(`x${i}`, 0, 1));
  const g = 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / 5;
  return [x[0]!, g * (1 - Math.sqrt(x[0]! / g))];
}

function frontVolume(sampler: NSGAIISampler | RandomSampler, trials: number): number {
  const study = createStudy({ directions: ["minimize", "minimize"], sampler, logger: silent });
  for (let i = 0; i < trials; i++) {
    const t = study.ask();
    study.tell(t, zdt1(t));
  }
  return hypervolume(study.bestTrials.map((t) => toLosses(t.values!, study.directions)), [1.1, 11]);
}

describe("NSGAIISampler", () => {
  it("puts trials in generations of populationSize, kept as a system attr", () => {
    const study = createStudy({ directions: ["minimize", "minimize"], sampler: new NSGAIISampler({ populationSize: 10, seed: 1 }), logger: silent });
    for (let i = 0; i < 35; i++) {
      const t = study.ask();
      study.tell(t, zdt1(t));
    }
    const generations = study.trials.map((t) => t.systemAttrs[GENERATION_ATTR]);
    expect(generations).toEqual([...Array(10).fill(0), ...Array(10).fill(1), ...Array(10).fill(2), ...Array(5).fill(3)]);
  });

  it("fills generations when trials finish out of order, as on a cluster", () => {
    const study = createStudy({ directions: ["minimize", "minimize"], sampler: new NSGAIISampler({ populationSize: 8, seed: 2 }), logger: silent });
    const running: ReturnType<typeof study.ask>[] = [];
    for (let i = 0; i < 60; i++) {
      running.push(study.ask());
      // Six trials in flight; the oldest but one finishes first.
      if (running.length >= 6) {
        const [t] = running.splice(running.length > 1 ? 1 : 0, 1);
        study.tell(t!, zdt1(t!));
      }
    }
    for (const t of running) study.tell(t, zdt1(t));
    const counts = new Map<number, number>();
    for (const t of study.trials) counts.set(t.systemAttrs[GENERATION_ATTR] as number, (counts.get(t.systemAttrs[GENERATION_ATTR] as number) ?? 0) + 1);
    // Every generation but the last has at least populationSize trials (a few more under parallelism).
    const gens = [...counts.keys()].sort((a, b) => a - b);
    expect(gens.length).toBeGreaterThan(3);
    for (const g of gens.slice(0, -1)) expect(counts.get(g)).toBeGreaterThanOrEqual(8);
    expect(study.trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
  });

  it("keeps children inside the space: int steps, log ranges and categorical choices, with every crossover", () => {
    for (const crossover of [new UniformCrossover(), new BLXAlphaCrossover(), new SBXCrossover(), new SPXCrossover(), new UNDXCrossover()]) {
      const study = createStudy({ directions: ["minimize", "maximize"], sampler: new NSGAIISampler({ populationSize: 6, crossover, seed: 3 }), logger: silent });
      for (let i = 0; i < 40; i++) {
        const t = study.ask();
        const a = t.suggestInt("a", 0, 20, { step: 4 });
        const b = t.suggestFloat("b", 1e-3, 10, { log: true });
        const c = t.suggestCategorical("c", ["x", "y", "z"]);
        const d = t.suggestInt("d", 1, 100, { log: true });
        study.tell(t, [a + b, (c === "y" ? 1 : 0) + d]);
      }
      for (const t of study.trials) {
        expect(t.state).toBe(TrialState.COMPLETE);
        expect([0, 4, 8, 12, 16, 20]).toContain(t.params.a);
        expect(t.params.b as number).toBeGreaterThanOrEqual(1e-3);
        expect(t.params.b as number).toBeLessThanOrEqual(10);
        expect(["x", "y", "z"]).toContain(t.params.c);
        expect(Number.isInteger(t.params.d)).toBe(true);
      }
    }
  });

  it("is reproducible for a seed", () => {
    const run = () => {
      const study = createStudy({ directions: ["minimize", "minimize"], sampler: new NSGAIISampler({ populationSize: 10, seed: 7 }), logger: silent });
      for (let i = 0; i < 30; i++) {
        const t = study.ask();
        study.tell(t, zdt1(t));
      }
      return study.trials.map((t) => t.params);
    };
    expect(run()).toEqual(run());
  });

  it("stores constraint values and keeps infeasible trials out of the front", () => {
    const study = createStudy({
      directions: ["minimize", "minimize"],
      sampler: new NSGAIISampler({ populationSize: 10, seed: 4, constraintsFunc: (t) => [(t.params.x0 as number) - 0.5] }),
      logger: silent,
    });
    for (let i = 0; i < 40; i++) {
      const t = study.ask();
      study.tell(t, zdt1(t));
    }
    expect(study.trials.every((t) => Array.isArray(t.systemAttrs.constraints))).toBe(true);
    expect(study.bestTrials.length).toBeGreaterThan(0);
    expect(study.bestTrials.every((t) => (t.params.x0 as number) <= 0.5)).toBe(true);
  });

  it("beats random search on ZDT1 (median of 3 seeds, 300 trials)", () => {
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const nsga = [1, 2, 3].map((seed) => frontVolume(new NSGAIISampler({ seed }), 300));
    const random = [1, 2, 3].map((seed) => frontVolume(new RandomSampler({ seed }), 300));
    expect(med(nsga)).toBeGreaterThan(med(random));
  });

  it("refuses options out of range, naming them", () => {
    expect(() => new NSGAIISampler({ populationSize: 1 })).toThrow('Invalid option "populationSize": must be an integer >= 2, got 1');
    expect(() => new NSGAIISampler({ crossoverProb: 2 })).toThrow('Invalid option "crossoverProb": must be in [0, 1], got 2');
  });
});
