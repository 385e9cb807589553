/**
 * Multi-objective benchmark functions (every objective minimised), each with the reference
 * point its hypervolume is measured against. ZDT1 is the (and anchors/mo_quality.py's);
 * the others are families of our own choosing, so that a default is not tuned to one front:
 * a concave front (ZDT2), a disconnected one (ZDT3), three and four objectives (DTLZ2, and DTLZ1
 * with its many local fronts) and a mixed space of floats, a log-scaled int and a categorical.
 */
import { createLogger, createStudy, hypervolume, toLosses, type BaseTrial, type Sampler } from "@shoal/core";

export interface MultiObjectiveFunction {
  readonly nObjectives: number;
  readonly reference: readonly number[];
  objective(trial: BaseTrial): number[];
}

const floats = (trial: BaseTrial, n: number): number[] => Array.from({ length: n }, (_, i) => trial.suggestFloat(`x${i}`, 0, 1));
const zdtG = (x: readonly number[]): number => 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / (x.length - 1);

/** DTLZ2 with `m` objectives on `n` floats in [0, 1]: the front is the unit sphere's positive part. */
export function dtlz2(m: number, n: number): MultiObjectiveFunction {
  return {
    nObjectives: m,
    reference: Array.from({ length: m }, () => 2.5),
    objective(trial) {
      const x = floats(trial, n);
      const g = x.slice(m - 1).reduce((s, v) => s + (v - 0.5) ** 2, 0);
      return Array.from({ length: m }, (_, i) => {
        let f = 1 + g;
        for (let j = 0; j < m - 1 - i; j++) f *= Math.cos((x[j]! * Math.PI) / 2);
        return i > 0 ? f * Math.sin((x[m - 1 - i]! * Math.PI) / 2) : f;
      });
    },
  };
}

export const MO_FUNCTIONS: Record<string, MultiObjectiveFunction> = {
  zdt1: {
    nObjectives: 2,
    reference: [1.1, 11],
    objective(trial) {
      const x = floats(trial, 6);
      const g = zdtG(x);
      return [x[0]!, g * (1 - Math.sqrt(x[0]! / g))];
    },
  },
  zdt2: {
    nObjectives: 2,
    reference: [1.1, 11],
    objective(trial) {
      const x = floats(trial, 6);
      const g = zdtG(x);
      return [x[0]!, g * (1 - (x[0]! / g) ** 2)];
    },
  },
  zdt3: {
    nObjectives: 2,
    reference: [1.1, 11],
    objective(trial) {
      const x = floats(trial, 6);
      const g = zdtG(x);
      const r = x[0]! / g;
      return [x[0]!, g * (1 - Math.sqrt(r) - r * Math.sin(10 * Math.PI * x[0]!))];
    },
  },
  dtlz2: dtlz2(3, 6),
  dtlz2_m4: dtlz2(4, 7),
  dtlz1: {
    nObjectives: 3,
    reference: [400, 400, 400],
    objective(trial) {
      const x = floats(trial, 6);
      const g = 100 * (4 + x.slice(2).reduce((s, v) => s + (v - 0.5) ** 2 - Math.cos(20 * Math.PI * (v - 0.5)), 0));
      return [0.5 * (1 + g) * x[0]! * x[1]!, 0.5 * (1 + g) * x[0]! * (1 - x[1]!), 0.5 * (1 + g) * (1 - x[0]!)];
    },
  },
  mixed: {
    nObjectives: 2,
    reference: [1.5, 30],
    objective(trial) {
      // A model-size trade-off: error falls with width (log int) and the right activation; size grows with width.
      const width = trial.suggestInt("width", 4, 512, { log: true });
      const lr = trial.suggestFloat("lr", 1e-4, 1, { log: true });
      const act = trial.suggestCategorical("act", ["relu", "tanh", "sigmoid"]);
      const penalty = act === "relu" ? 0 : act === "tanh" ? 0.1 : 0.3;
      const error = 1 / (1 + Math.log2(width)) + (Math.log10(lr) + 2) ** 2 / 8 + penalty;
      return [error, Math.sqrt(width)];
    },
  },
};

const silent = createLogger({ level: "silent" });

/** The hypervolume of the Pareto front after `trials` trials of `fn` sampled by `sampler`. */
export function frontHypervolume(fn: MultiObjectiveFunction, sampler: Sampler, trials: number): number {
  const directions = Array.from({ length: fn.nObjectives }, () => "minimize" as const);
  const study = createStudy({ directions, sampler, logger: silent });
  for (let i = 0; i < trials; i++) {
    const trial = study.ask();
    study.tell(trial, fn.objective(trial));
  }
  return hypervolume(study.bestTrials.map((t) => toLosses(t.values!, directions)), fn.reference);
}

/** A hypervolume as printed: 3 decimals, or 5 significant digits for DTLZ1's large volumes. */
export const hvText = (v: number): string => (v >= 1e5 ? v.toExponential(4) : v.toFixed(3));

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
