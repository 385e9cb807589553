/**
 * Multi-objective benchmark functions (every objective minimised), each with the reference
 * point its hypervolume is measured against. ZDT1 is the (and anchors/mo_quality.py's);
 * the others are families of our own choosing, so that a default is not tuned to one front:
 * a concave front (ZDT2), a disconnected one (ZDT3), three objectives (DTLZ2) and a mixed space
 * of floats, a log-scaled int and a categorical.
 */
import type { BaseTrial } from "@shoal/core";

export interface MultiObjectiveFunction {
  readonly nObjectives: number;
  readonly reference: readonly number[];
  objective(trial: BaseTrial): number[];
}

const floats = (trial: BaseTrial, n: number): number[] => Array.from({ length: n }, (_, i) => trial.suggestFloat(`x${i}`, 0, 1));
const zdtG = (x: readonly number[]): number => 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / (x.length - 1);

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
  dtlz2: {
    nObjectives: 3,
    reference: [2.5, 2.5, 2.5],
    objective(trial) {
      const x = floats(trial, 6);
      const g = x.slice(2).reduce((s, v) => s + (v - 0.5) ** 2, 0);
      const [a, b] = [(x[0]! * Math.PI) / 2, (x[1]! * Math.PI) / 2];
      return [(1 + g) * Math.cos(a) * Math.cos(b), (1 + g) * Math.cos(a) * Math.sin(b), (1 + g) * Math.sin(a)];
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
