import { describe, expect, it } from "vitest";
import { Rng } from "../../rng.js";
import { ConstrainedLogEI, LogEI, LogFeasibility, logEI } from "./acquisition.js";
import { defaultKernelParams, fitKernelParams, NegativeLogPosterior } from "./fit-kernel-params.js";
import { GPRegressor, type TrainingData } from "./gp-regressor.js";
import { matern52, matern52Derivative, type KernelParams } from "./kernel.js";
import { normalCdf, normalPdf } from "../../numerics/special-functions.js";

/** n random points in [0, 1]^dim (categorical coordinates: an index of 3 choices) with values from f. */
function randomData(n: number, isCategorical: number[], f: (x: Float64Array) => number, seed = 1): TrainingData {
  const rng = new Rng(seed);
  const dim = isCategorical.length;
  const x = new Float64Array(n * dim);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) x[i * dim + d] = isCategorical[d] === 1 ? rng.int(3) : rng.random();
    y[i] = f(x.subarray(i * dim, i * dim + dim));
  }
  return { x, y, n, dim, isCategorical: Uint8Array.from(isCategorical) };
}

function params(isl: number[], kernelScale: number, noiseVar: number): KernelParams {
  return { inverseSquaredLengthscales: Float64Array.from(isl), kernelScale, noiseVar };
}

/** Central differences of f at x in every coordinate (categorical ones skipped: left 0). */
function numericGradient(f: (x: Float64Array) => number, x: Float64Array, skip: (d: number) => boolean = () => false, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let d = 0; d < x.length; d++) {
    if (skip(d)) continue;
    const p = Float64Array.from(x);
    const m = Float64Array.from(x);
    p[d]! += h;
    m[d]! -= h;
    g[d] = (f(p) - f(m)) / (2 * h);
  }
  return g;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]!));
    expect(Math.abs(actual[i]! - expected[i]!) / scale, `component ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThan(tolerance);
  }
}

describe("Matern 5/2 kernel", () => {
  it("is 1 at distance 0 and its r2-derivative matches finite differences, also near 0", () => {
    expect(matern52(0)).toBe(1);
    expect(matern52Derivative(0)).toBeCloseTo(-5 / 6, 15);
    for (const r2 of [1e-6, 0.01, 0.3, 1, 4, 20]) {
      const h = Math.min(1e-7, r2 / 10);
      const fd = (matern52(r2 + h) - matern52(r2 - h)) / (2 * h);
      expect(Math.abs(matern52Derivative(r2) - fd), `r2=${r2}`).toBeLessThan(1e-6);
    }
  });
});

describe("GPRegressor", () => {
  it("gives the closed-form posterior of one observation in 1-D", () => {
    // One point x0 = 0.2, y0 = 1.5: mean(x) = k(x, x0) y0 / (s + noise), var = s - k^2 / (s + noise).
    const s = 2;
    const noise = 0.1;
    const isl = 4;
    const gpr = new GPRegressor({ x: Float64Array.of(0.2), y: Float64Array.of(1.5), n: 1, dim: 1, isCategorical: Uint8Array.of(0) }, params([isl], s, noise));
    const out = new Float64Array(2);
    for (const x of [0.2, 0.5, 0.9]) {
      gpr.posterior(Float64Array.of(x), 0, out);
      const k = s * matern52(isl * (x - 0.2) ** 2);
      expect(out[0]).toBeCloseTo((k * 1.5) / (s + noise), 12);
      expect(out[1]).toBeCloseTo(s - (k * k) / (s + noise), 12);
    }
  });

  it("gives the closed-form posterior of two observations in 1-D (2 x 2 inverse)", () => {
    const s = 1.3;
    const noise = 1e-3;
    const isl = 2;
    const xs = [0.1, 0.7];
    const ys = [-1, 2];
    const gpr = new GPRegressor({ x: Float64Array.from(xs), y: Float64Array.from(ys), n: 2, dim: 1, isCategorical: Uint8Array.of(0) }, params([isl], s, noise));
    const k01 = s * matern52(isl * 0.36);
    const a = s + noise;
    const det = a * a - k01 * k01;
    const inv = [
      [a / det, -k01 / det],
      [-k01 / det, a / det],
    ];
    const out = new Float64Array(2);
    for (const x of [0, 0.1, 0.4, 1]) {
      gpr.posterior(Float64Array.of(x), 0, out);
      const k = xs.map((xi) => s * matern52(isl * (x - xi) ** 2));
      const alpha = [inv[0]![0]! * ys[0]! + inv[0]![1]! * ys[1]!, inv[1]![0]! * ys[0]! + inv[1]![1]! * ys[1]!];
      const mean = k[0]! * alpha[0]! + k[1]! * alpha[1]!;
      const quad = k[0]! * (inv[0]![0]! * k[0]! + inv[0]![1]! * k[1]!) + k[1]! * (inv[1]![0]! * k[0]! + inv[1]![1]! * k[1]!);
      expect(out[0]).toBeCloseTo(mean, 10);
      expect(out[1]).toBeCloseTo(s - quad, 10);
    }
    // Near-interpolation at an observed point: the mean is the value, the variance about the noise.
    gpr.posterior(Float64Array.of(0.7), 0, out);
    expect(out[0]).toBeCloseTo(2, 2);
    expect(out[1]).toBeLessThan(2e-3);
  });

  it("scores points in blocks exactly as one by one (posteriorBatch)", () => {
    const data = randomData(30, [0, 1, 0], (x) => Math.sin(5 * x[0]!) + x[1]! + x[2]!, 4);
    const gpr = new GPRegressor(data, params([3, 0.7, 8], 1.4, 0.01));
    const points = randomData(7, [0, 1, 0], () => 0, 9).x;
    const means = new Float64Array(7);
    const variances = new Float64Array(7);
    gpr.posteriorBatch(points, 7, means, variances);
    const out = new Float64Array(2);
    for (let i = 0; i < 7; i++) {
      gpr.posterior(points, i * 3, out);
      expect(means[i]).toBeCloseTo(out[0]!, 12);
      expect(variances[i]).toBeCloseTo(out[1]!, 12);
    }
  });

  it("has posterior mean and variance gradients that match finite differences (mixed space)", () => {
    const isCategorical = [0, 1, 0];
    const data = randomData(15, isCategorical, (x) => Math.sin(5 * x[0]!) + x[1]! + x[2]! ** 2);
    const gpr = new GPRegressor(data, params([3, 0.7, 8], 1.4, 0.01));
    const x = Float64Array.of(0.37, 1, 0.61);
    const out = new Float64Array(2);
    const gm = new Float64Array(3);
    const gv = new Float64Array(3);
    gpr.posteriorWithGradient(x, out, gm, gv);
    const moment = (i: number) => (p: Float64Array) => {
      const o = new Float64Array(2);
      gpr.posterior(p, 0, o);
      return o[i]!;
    };
    expect(out[0]).toBeCloseTo(moment(0)(x), 12);
    expect(out[1]).toBeCloseTo(moment(1)(x), 12);
    const skip = (d: number) => isCategorical[d] === 1;
    expectClose(gm, numericGradient(moment(0), x, skip), 1e-6);
    expectClose(gv, numericGradient(moment(1), x, skip), 1e-6);
    expect(gm[1]).toBe(0);
  });
});

describe("NegativeLogPosterior (marginal likelihood + prior)", () => {
  it("equals the direct formula on two points", () => {
    const data: TrainingData = { x: Float64Array.of(0.1, 0.8), y: Float64Array.of(0.5, -1), n: 2, dim: 1, isCategorical: Uint8Array.of(0) };
    const objective = new NegativeLogPosterior(data, { deterministic: false });
    const p = params([2], 1.5, 0.2);
    const theta = objective.rawOf(p);
    const actual = objective.evaluate(theta, new Float64Array(3));
    const q = objective.paramsAt(theta);
    const k = q.kernelScale * matern52(2 * 0.49);
    const a = q.kernelScale + q.noiseVar;
    const det = a * a - k * k;
    const quad = (a * 0.25 - 2 * k * 0.5 * -1 + a * 1) / det;
    const mll = -0.5 * quad - 0.5 * Math.log(det) - Math.log(2 * Math.PI);
    const prior = -(0.1 / 2 + 0.1 * 2) + (Math.log(q.kernelScale) - q.kernelScale) + (0.1 * Math.log(q.noiseVar) - 30 * q.noiseVar);
    expect(actual).toBeCloseTo(-(mll + prior), 10);
  });

  for (const deterministic of [false, true]) {
    it(`has an analytic gradient that matches finite differences (deterministic: ${deterministic})`, () => {
      const data = randomData(25, [0, 0, 1, 0], (x) => Math.cos(4 * x[0]!) - 2 * x[1]! + (x[2] === 1 ? 1 : 0) + 0.1 * x[3]!, 7);
      const objective = new NegativeLogPosterior(data, { deterministic });
      for (const p of [params([1, 1, 1, 1], 1, 1), params([5, 0.3, 2, 0.05], 0.8, 0.01)]) {
        const theta = objective.rawOf(p);
        const grad = new Float64Array(theta.length);
        objective.evaluate(theta, grad);
        const numeric = numericGradient((t) => objective.evaluate(t, new Float64Array(t.length)), theta, () => false, 1e-5);
        expectClose(grad, numeric, 1e-5);
        if (deterministic) expect(grad[theta.length - 1]).toBe(0);
      }
    });
  }

  it("the fit lowers the loss below the defaults' and finds the irrelevant parameter (ARD)", () => {
    // y depends on x0 only: x1's inverse squared lengthscale should come out much smaller.
    const data = randomData(40, [0, 0], (x) => Math.sin(6 * x[0]!), 3);
    const objective = new NegativeLogPosterior(data, { deterministic: false });
    const fitted = fitKernelParams(data, { deterministic: false }, null);
    const scratch = new Float64Array(4);
    expect(objective.evaluate(objective.rawOf(fitted), scratch)).toBeLessThan(objective.evaluate(objective.rawOf(defaultKernelParams(2)), scratch));
    expect(fitted.inverseSquaredLengthscales[0]! / fitted.inverseSquaredLengthscales[1]!).toBeGreaterThan(10);
    // A warm start at the optimum stays there.
    const again = fitKernelParams(data, { deterministic: false }, fitted);
    expect(again.inverseSquaredLengthscales[0]).toBeCloseTo(fitted.inverseSquaredLengthscales[0]!, 1);
  });

  it("fits duplicated points with a deterministic objective (jitter rescues the factorisation)", () => {
    const x = Float64Array.of(0.5, 0.5, 0.5, 0.2, 0.9);
    const data: TrainingData = { x, y: Float64Array.of(1, 1, 1, -1, 0), n: 5, dim: 1, isCategorical: Uint8Array.of(0) };
    const fitted = fitKernelParams(data, { deterministic: true }, null);
    expect(fitted.noiseVar).toBe(1e-6);
    const out = new Float64Array(2);
    new GPRegressor(data, fitted).posterior(Float64Array.of(0.5), 0, out);
    expect(out[0]).toBeCloseTo(1, 3);
  });
});

describe("acquisition functions", () => {
  const data = randomData(12, [0, 0], (x) => -((x[0]! - 0.3) ** 2) - (x[1]! - 0.6) ** 2, 5);
  const gpr = new GPRegressor(data, params([4, 4], 1, 1e-4));
  const best = Math.max(...data.y);

  it("log EI is the log of the direct EI formula where that is representable", () => {
    for (const [mean, variance] of [[0, 1], [-0.5, 0.04], [2, 0.3], [-3, 1]] as const) {
      const sigma = Math.sqrt(variance);
      const z = (mean - 0.1) / sigma;
      const direct = sigma * (normalPdf(z) + z * normalCdf(z));
      expect(logEI(mean, variance, 0.1)).toBeCloseTo(Math.log(direct), 10);
    }
    // Far below the incumbent direct EI is 0; log EI stays finite and ordered.
    expect(logEI(-60, 1, 0)).toBeGreaterThan(logEI(-70, 1, 0));
    expect(Number.isFinite(logEI(-1e4, 1e-6, 0))).toBe(true);
  });

  it("LogEI, LogFeasibility and ConstrainedLogEI gradients match finite differences", () => {
    const constraint = new LogFeasibility(gpr, 0.2);
    const functions = [new LogEI(gpr, best), constraint, new ConstrainedLogEI(new LogEI(gpr, best), [constraint]), new ConstrainedLogEI(null, [constraint])];
    for (const acqf of functions) {
      for (const point of [[0.31, 0.58], [0.9, 0.05], [0.5, 0.5]]) {
        const x = Float64Array.from(point);
        const grad = new Float64Array(2);
        const value = acqf.evaluateWithGradient(x, grad);
        expect(value).toBeCloseTo(acqf.evaluate(x, 0), 10);
        expectClose(grad, numericGradient((p) => acqf.evaluate(p, 0), x), 1e-5);
      }
      const points = Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.9, 0.9, 0, 1);
      const batch = new Float64Array(5);
      acqf.evaluateBatch(points, 5, batch);
      for (let i = 0; i < 5; i++) expect(batch[i]).toBeCloseTo(acqf.evaluate(points, 2 * i), 10);
    }
  });
});
