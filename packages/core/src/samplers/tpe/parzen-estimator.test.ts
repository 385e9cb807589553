import { describe, expect, it } from "vitest";
import type { Distribution } from "../../distributions.js";
import { Rng } from "../../rng.js";
import { expNonPositive, logSumExp } from "./log-sum-exp.js";
import type { Observations } from "./observations.js";
import { ParzenEstimator, type ParzenEstimatorParameters } from "./parzen-estimator.js";
import { toDimension, untransform } from "./param-transform.js";
import { truncatedNormalLogPdf } from "./truncated-normal.js";

const params: ParzenEstimatorParameters = {
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate: false,
};

/** Observations in the estimator's format: values per dimension, one spare slot each. */
function observations(columns: number[][], weights?: number[]): Observations {
  const n = columns[0]?.length ?? 0;
  const spare = (values: number[]): Float64Array => Float64Array.from([...values, 0]);
  return { n, columns: columns.map(spare), weights: spare(weights ?? new Array(n).fill(1)) };
}

function logPdfAt(estimator: ParzenEstimator, point: number[]): number {
  const out = new Float64Array(1);
  estimator.logPdf(Float64Array.from(point), 1, out);
  return out[0] as number;
}

const float01: Distribution = { kind: "float", low: 0, high: 1, step: null, log: false };

describe("ParzenEstimator", () => {
  it("is a mixture of truncated normals plus the prior (scipy reference)", () => {
    const mpe = new ParzenEstimator([toDimension(float01)], observations([[0.05, 0.5, 0.55]]), params);
    // Kernels (mu, sigma): (0.05, .45) (0.5, .45) (0.55, .2) and the prior (0.5, 1), weights 1/4.
    expect(logPdfAt(mpe, [0.3])).toBeCloseTo(0.11458216367938517, 12);
    expect(mpe.nComponents).toBe(4);
  });

  it("integrates to 1 over its range", () => {
    const mpe = new ParzenEstimator([toDimension(float01)], observations([[0.1, 0.15, 0.9]], [0.2, 1, 1]), params);
    const n = 4000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.exp(logPdfAt(mpe, [(i + 0.5) / n]));
    expect(sum / n).toBeCloseTo(1, 6);
  });

  it("gives grid points the mass of their cells (int, scipy reference)", () => {
    const dim = toDimension({ kind: "int", low: 1, high: 5, step: 1, log: false });
    const mpe = new ParzenEstimator([dim], observations([[2, 4]]), params);
    const expected = [0.1732362939089791, 0.21269793518998495, 0.2281315418020719, 0.21269793518998492, 0.1732362939089791];
    expected.forEach((p, i) => expect(Math.exp(logPdfAt(mpe, [i + 1]))).toBeCloseTo(p, 13));
  });

  it("gives log-int values the mass of [log(v - 1/2), log(v + 1/2)]", () => {
    const dim = toDimension({ kind: "int", low: 1, high: 100, step: 1, log: true });
    const mpe = new ParzenEstimator([dim], observations([[Math.log(10)]]), params);
    expect(Math.exp(logPdfAt(mpe, [Math.log(10)]))).toBeCloseTo(0.020544477331729066, 13);
    let total = 0;
    for (let v = 1; v <= 100; v++) total += Math.exp(logPdfAt(mpe, [Math.log(v)]));
    expect(total).toBeCloseTo(1, 12);
  });

  it("weighs categorical observations the Optuna way", () => {
    const dim = toDimension({ kind: "categorical", choices: ["a", "b", "c"] });
    const mpe = new ParzenEstimator([dim], observations([[0, 0, 2]]), params);
    // Each observation: 1/4 on every choice + 1 on its own, normalised; the prior is uniform.
    const own = 1.25 / 1.75;
    const other = 0.25 / 1.75;
    const expected = [
      0.25 * (own + own + other + 1 / 3),
      0.25 * (other + other + other + 1 / 3),
      0.25 * (other + other + own + 1 / 3),
    ];
    expected.forEach((p, c) => expect(Math.exp(logPdfAt(mpe, [c]))).toBeCloseTo(p, 14));
  });

  it("is only the prior without observations", () => {
    const mpe = new ParzenEstimator([toDimension(float01)], observations([[]]), params);
    expect(mpe.nComponents).toBe(1);
    // Normal(0.5, 1) truncated to [0, 1], at its mean: phi(0) / (2 Phi(0.5) - 1).
    expect(Math.exp(logPdfAt(mpe, [0.5]))).toBeCloseTo(1.0418289771969533, 12);
  });

  it("multiplies the dimensions' kernels under one shared component", () => {
    const dims = [toDimension(float01), toDimension(float01)];
    const mv = { ...params, multivariate: true };
    const mpe = new ParzenEstimator(dims, observations([[0.1, 0.9], [0.1, 0.9]]), mv);
    // The observations lie on the diagonal: the density there beats the anti-diagonal.
    expect(logPdfAt(mpe, [0.1, 0.1])).toBeGreaterThan(logPdfAt(mpe, [0.1, 0.9]) + 1);
  });

  it.each([
    [[[0, 1], [-5, 10], [2, 3]]],
    [[[0, 1], [-5, 10], [2, 3], [-1, 1], [100, 200]]],
  ] as Array<[Array<[number, number]>]>)("computes multivariate densities exactly (fast path vs formula, %j)", (ranges) => {
    const dims = ranges.map(([low, high]) => toDimension({ kind: "float", low, high, step: null, log: false }));
    const rng = new Rng(4);
    const n = 40;
    const columns = ranges.map(([low, high]) => Array.from({ length: n }, () => rng.uniform(low, high)));
    const weights = Array.from({ length: n }, (_, i) => 1 + (i % 3));
    const mpe = new ParzenEstimator(dims, observations(columns, weights), { ...params, multivariate: true });
    const total = weights.reduce((a, b) => a + b, 0) + 1;
    for (let trial = 0; trial < 20; trial++) {
      const x = ranges.map(([low, high]) => rng.uniform(low, high));
      let density = 0;
      for (let k = 0; k <= n; k++) {
        let p = (k < n ? (weights[k] as number) : 1) / total;
        ranges.forEach(([low, high], d) => {
          const range = high - low;
          const scott = 0.2 * n ** (-1 / (ranges.length + 4)) * range;
          const sigma = k < n ? Math.min(Math.max(scott, range / Math.min(100, n + 2)), range) : range;
          const mu = k < n ? (columns[d]![k] as number) : (low + high) / 2;
          p *= Math.exp(truncatedNormalLogPdf(x[d]!, mu, sigma, low, high));
        });
        density += p;
      }
      expect(logPdfAt(mpe, x)).toBeCloseTo(Math.log(density), 10);
    }
  });

  it("samples on each parameter's grid and inside its range", () => {
    const spaces: Distribution[] = [
      { kind: "float", low: -1, high: 1, step: 0.25, log: false },
      { kind: "int", low: 0, high: 10, step: 2, log: false },
      { kind: "int", low: 1, high: 1000, step: 1, log: true },
      { kind: "float", low: 1e-5, high: 1, step: null, log: true },
      { kind: "categorical", choices: [null, true, "x"] },
    ];
    const dims = spaces.map(toDimension);
    const obs = observations([[0.25, -1], [4, 10], [Math.log(3), Math.log(900)], [Math.log(1e-3), 0], [1, 2]]);
    const mpe = new ParzenEstimator(dims, obs, { ...params, multivariate: true });
    const draws = mpe.sample(new Rng(3), 200);
    for (let i = 0; i < 200; i++) {
      const [f, n, l, g, c] = dims.map((dim, d) => untransform(dim, draws[i * 5 + d] as number));
      expect(Number.isInteger(((f as number) + 1) / 0.25)).toBe(true);
      expect((n as number) % 2).toBe(0);
      expect(Number.isInteger(l)).toBe(true);
      expect(l as number).toBeGreaterThanOrEqual(1);
      expect(l as number).toBeLessThanOrEqual(1000);
      expect(g as number).toBeGreaterThanOrEqual(1e-5);
      expect(g as number).toBeLessThanOrEqual(1);
      expect([null, true, "x"]).toContain(c);
    }
  });
});

describe("log-sum-exp", () => {
  it("computes exp on [-40, 0] to 1e-15", () => {
    for (let i = 0; i <= 4000; i++) {
      const x = -i / 100;
      expect(Math.abs(expNonPositive(x) / Math.exp(x) - 1)).toBeLessThan(1e-15);
    }
  });

  it("is stable for large and very negative values", () => {
    expect(logSumExp(Float64Array.from([1000, 1000]))).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp(Float64Array.from([-1e4, -1e4 - Math.log(3)]))).toBeCloseTo(-1e4 + Math.log(4 / 3), 9);
    expect(logSumExp(Float64Array.from([Number.NEGATIVE_INFINITY]))).toBe(Number.NEGATIVE_INFINITY);
  });
});
