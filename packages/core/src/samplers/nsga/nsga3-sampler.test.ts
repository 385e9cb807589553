import { describe, expect, it } from "vitest";
import { createLogger } from "../../logging.js";
import { toLosses } from "../../multi-objective/dominance.js";
import { hypervolume } from "../../multi-objective/hypervolume.js";
import { createStudy } from "../../study.js";
import type { BaseTrial } from "../../trial.js";
import { RandomSampler } from "../random-sampler.js";
import { GENERATION_ATTR } from "./nsga2-sampler.js";
import { NSGAIIISampler } from "./nsga3-sampler.js";

const silent = createLogger({ level: "silent" });

/** DTLZ2 with 3 objectives on 6 variables: its front is the unit sphere's positive octant. */
function dtlz2(trial: BaseTrial): number[] {
  const x = Array.from({ length: 6 }, (_, i) => trial.suggestFloat(`x${i}`, 0, 1));
  const g = x.slice(2).reduce((s, v) => s + (v - 0.5) ** 2, 0);
  const [a, b] = [(x[0]! * Math.PI) / 2, (x[1]! * Math.PI) / 2];
  return [(1 + g) * Math.cos(a) * Math.cos(b), (1 + g) * Math.cos(a) * Math.sin(b), (1 + g) * Math.sin(a)];
}

function run(sampler: NSGAIIISampler | RandomSampler, trials: number) {
  const study = createStudy({ directions: ["minimize", "minimize", "minimize"], sampler, logger: silent });
  for (let i = 0; i < trials; i++) {
    const t = study.ask();
    study.tell(t, dtlz2(t));
  }
  return study;
}

describe("NSGAIIISampler", () => {
  it("runs NSGA-II's generations with niche survival, reproducibly", () => {
    const a = run(new NSGAIIISampler({ populationSize: 12, seed: 5 }), 60);
    expect(a.trials.map((t) => t.systemAttrs[GENERATION_ATTR])).toEqual([0, 1, 2, 3, 4].flatMap((g) => Array(12).fill(g)));
    const b = run(new NSGAIIISampler({ populationSize: 12, seed: 5 }), 60);
    expect(b.trials.map((t) => t.params)).toEqual(a.trials.map((t) => t.params));
  });

  it("beats random search on DTLZ2 with three objectives (median of 3 seeds, 300 trials)", () => {
    const hv = (s: NSGAIIISampler | RandomSampler) => {
      const study = run(s, 300);
      return hypervolume(study.bestTrials.map((t) => toLosses(t.values!, study.directions)), [2.5, 2.5, 2.5]);
    };
    const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!;
    expect(med([1, 2, 3].map((seed) => hv(new NSGAIIISampler({ seed }))))).toBeGreaterThan(med([1, 2, 3].map((seed) => hv(new RandomSampler({ seed })))));
  });

  it("refuses reference points of the wrong dimension and a bad dividing parameter, naming them", () => {
    expect(() => new NSGAIIISampler({ dividingParameter: 0 })).toThrow('Invalid option "dividingParameter": must be an integer >= 1, got 0');
    expect(() => run(new NSGAIIISampler({ populationSize: 4, referencePoints: [[1, 0], [0, 1]], seed: 1 }), 12)).toThrow(
      'Invalid option "referencePoints": each must have one coordinate per objective (3), got 2, 2',
    );
  });
});
