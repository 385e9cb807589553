import { describe, expect, it } from "vitest";
import {
  erf,
  erfc,
  logCentralMass,
  logGaussMass,
  logNormalCdf,
  normalCdf,
  normalQuantile,
  normalQuantileFromLog,
  truncatedNormalLogPdf,
  truncatedStandardNormalQuantile,
} from "./truncated-normal.js";

/** Relative closeness, for values that span hundreds of orders of magnitude. */
function expectRelClose(actual: number, expected: number, tol = 1e-13): void {
  if (expected === 0) {
    expect(Math.abs(actual)).toBeLessThan(tol);
    return;
  }
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tol);
}

// Reference values from scipy.special 1.10 and mpmath (50 digits).
describe("error functions", () => {
  it("match scipy's erf and erfc across the line, including the far tail", () => {
    const erfcRef: Array<[number, number]> = [
      [-30, 2],
      [-5, 1.9999999999984626],
      [-1.5, 1.9661051464753108],
      [-0.5, 1.5204998778130465],
      [0, 1],
      [0.3, 0.6713732405408726],
      [1, 0.15729920705028516],
      [2.5, 0.00040695201744495886],
      [7, 4.183825607779414e-23],
      [9, 4.137031746513811e-37],
      [26, 5.663192408856145e-296],
    ];
    for (const [x, y] of erfcRef) expectRelClose(erfc(x), y, 1e-12);
    const erfRef: Array<[number, number]> = [
      [-0.9, -0.7969082124228322],
      [-0.2, -0.22270258921047845],
      [0.5, 0.5204998778130465],
      [0.99, 0.8385080695553698],
      [1.5, 0.9661051464753108],
      [3, 0.9999779095030014],
    ];
    for (const [x, y] of erfRef) expectRelClose(erf(x), y, 1e-14);
  });

  it("gives log CDFs that stay finite and exact deep in the tails", () => {
    const ref: Array<[number, number]> = [
      [-40, -804.6084420137539],
      [-20, -203.9171553710973],
      [-6, -20.73676894997471],
      [-1, -1.841021645009264],
      [0, -0.6931471805599453],
      [1, -0.17275377902344985],
      [3, -0.001350809964748193],
      [8, -6.220960574271743e-16],
      [20, -2.7536241186061556e-89],
    ];
    for (const [x, y] of ref) expectRelClose(logNormalCdf(x), y, 1e-12);
  });

  it("gives log interval masses in either tail and around the mean", () => {
    const ref: Array<[number, number, number]> = [
      [-40, -39, -765.0831565643775],
      [-31, -30, -454.32124395634327],
      [30, 31, -454.32124395634327],
      [5, 5.1, -15.962590193561619],
      [-3, -2.9, -7.569568013807489],
      [-1, 2, -0.20016629432446262],
      [-0.1, 0.1, -2.5300420015472382],
    ];
    for (const [a, b, y] of ref) expectRelClose(logGaussMass(a, b), y, 1e-11);
    expect(logGaussMass(1, 1)).toBe(Number.NEGATIVE_INFINITY);
  });

  it("inverts the CDF to full precision, tails included", () => {
    const ref: Array<[number, number]> = [
      [1e-300, -37.0470962993612],
      [1e-20, -9.262340089798409],
      [1e-5, -4.264890793922825],
      [0.01, -2.3263478740408408],
      [0.3, -0.5244005127080409],
      [0.5, 0],
      [0.9, 1.2815515655446004],
      [0.999, 3.090232306167813],
      [1 - 1e-12, 7.0344869100478356],
    ];
    for (const [p, x] of ref) expectRelClose(normalQuantile(p), x, p > 0.99 ? 1e-7 : 1e-13);
    // Below the smallest double, from log p.
    for (const logP of [-800, -5000]) expectRelClose(logNormalCdf(normalQuantileFromLog(logP)), logP, 1e-12);
  });
});

describe("truncated normal", () => {
  it("puts each quantile where the truncated CDF says, in either tail", () => {
    const cases: Array<[number, number, number]> = [
      [0.3, -2, 1.5],
      [0.5, 3, 4],
      [0.7, -50, -45],
      [0.999, -1, 8],
      [0.01, 30, 31],
      [0.4, -60, -59],
    ];
    for (const [u, a, b] of cases) {
      const x = truncatedStandardNormalQuantile(u, a, b);
      expect(x).toBeGreaterThanOrEqual(a);
      expect(x).toBeLessThanOrEqual(b);
      // The mass of [a, x] over the mass of [a, b] is u.
      const frac = Math.exp(logGaussMass(a, x) - logGaussMass(a, b));
      expect(frac).toBeCloseTo(u, 9);
    }
    expectRelClose(truncatedStandardNormalQuantile(0.3, -2, 1.5), -0.5362788233742953, 1e-12);
    expectRelClose(truncatedStandardNormalQuantile(0.5, 3, 4), 3.1984741317619534, 1e-12);
  });

  it("has a density that integrates to 1 on its range", () => {
    const [mu, sigma, low, high] = [0.8, 0.3, 0, 1];
    const n = 20000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = low + ((i + 0.5) / n) * (high - low);
      sum += Math.exp(truncatedNormalLogPdf(x, mu, sigma, low, high));
    }
    expect((sum * (high - low)) / n).toBeCloseTo(1, 6);
    expect(truncatedNormalLogPdf(1.1, mu, sigma, low, high)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalCdf(0)).toBe(0.5);
  });
});

describe("logCentralMass", () => {
  it("matches logGaussMass to 2e-12 for ranges that hold the mean and are a sigma wide", () => {
    // TPE's kernels have sigma <= range, so their [a, b] is at least 1 wide.
    let worst = 0;
    for (let i = 0; i <= 2000; i++) {
      const a = -i / 200; // 0 .. -10
      for (const b of [0, 0.001, 0.3, 1, 2.5, 5.123, 8.49, 8.5, 9, 40]) {
        if (b - a < 1) continue;
        worst = Math.max(worst, Math.abs(logCentralMass(a, b) - logGaussMass(a, b)));
      }
    }
    expect(worst).toBeLessThan(2e-12);
    // Narrower ones keep an absolute error of 1e-12 in the mass.
    expect(Math.abs(Math.exp(logCentralMass(0, 0.001)) - Math.exp(logGaussMass(0, 0.001)))).toBeLessThan(1e-12);
  });

  it("falls back to the exact mass when the mean is outside the range", () => {
    expect(logCentralMass(5, 5.1)).toBe(logGaussMass(5, 5.1));
  });
});
