/**
 * The benchmark functions of the Optuna anchor (shared/anchors/functions.py), in TypeScript:
 * same names, same parameter names and ranges, same order of suggest calls. Minimisation.
 */
import type { BaseTrial } from "@shoal/core";

/** A benchmark objective and its known optimum. */
export interface BenchmarkFunction {
  readonly objective: (trial: BaseTrial) => number;
  readonly optimum: number;
}

function branin(t: BaseTrial): number {
  const x1 = t.suggestFloat("x1", -5, 10);
  const x2 = t.suggestFloat("x2", 0, 15);
  return (
    (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 +
    10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) +
    10
  );
}

const A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
];
const ALPHA = [1.0, 1.2, 3.0, 3.2];

function hartmann6(t: BaseTrial): number {
  const x = Array.from({ length: 6 }, (_, i) => t.suggestFloat(`x${i}`, 0, 1));
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) inner += A[i]![j]! * (x[j]! - P[i]![j]! * 1e-4) ** 2;
    sum += ALPHA[i]! * Math.exp(-inner);
  }
  return -sum;
}

function rosenbrock4(t: BaseTrial): number {
  const x = Array.from({ length: 4 }, (_, i) => t.suggestFloat(`x${i}`, -5, 10));
  let sum = 0;
  for (let i = 0; i < 3; i++) sum += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return sum;
}

function styblinski5(t: BaseTrial): number {
  const x = Array.from({ length: 5 }, (_, i) => t.suggestFloat(`x${i}`, -5, 5));
  return x.reduce((s, v) => s + v ** 4 - 16 * v ** 2 + 5 * v, 0) / 2;
}

function ackley5(t: BaseTrial): number {
  const x = Array.from({ length: 5 }, (_, i) => t.suggestFloat(`x${i}`, -32.768, 32.768));
  const d = x.length;
  const sq = x.reduce((s, v) => s + v * v, 0);
  const cos = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0);
  return -20 * Math.exp(-0.2 * Math.sqrt(sq / d)) - Math.exp(cos / d) + 20 + Math.E;
}

/** The five functions, in the anchor's order. */
export const FUNCTIONS: Readonly<Record<string, BenchmarkFunction>> = {
  branin: { objective: branin, optimum: 0.397887 },
  hartmann6: { objective: hartmann6, optimum: -3.32237 },
  rosenbrock4: { objective: rosenbrock4, optimum: 0 },
  styblinski5: { objective: styblinski5, optimum: -39.16617 * 5 },
  ackley5: { objective: ackley5, optimum: 0 },
};
