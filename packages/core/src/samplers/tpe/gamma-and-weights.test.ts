import { describe, expect, it } from "vitest";
import { defaultGamma, defaultWeights, hyperoptDefaultGamma, linearGamma } from "./gamma-and-weights.js";

describe("defaultGamma", () => {
  it("takes the best 10%, rounded up, at most 25", () => {
    expect([0, 1, 9, 10, 11, 100, 249, 250, 251, 10_000].map(defaultGamma)).toEqual([0, 1, 1, 1, 2, 10, 25, 25, 25, 25]);
  });

  it("linearGamma takes a fraction up to a cap; (0.1, 25) is Optuna's default", () => {
    const shoal = linearGamma(0.25, 50);
    expect([0, 1, 4, 5, 100, 199, 200, 201, 1000].map(shoal)).toEqual([0, 1, 1, 2, 25, 50, 50, 50, 50]);
    const optuna = linearGamma(0.1, 25);
    for (const n of [0, 1, 9, 11, 100, 251, 5000]) expect(optuna(n)).toBe(defaultGamma(n));
  });

  it("hyperopt's variant is ceil(sqrt(n) / 4), at most 25", () => {
    expect([0, 1, 16, 17, 100, 10_000, 100_000].map(hyperoptDefaultGamma)).toEqual([0, 1, 1, 2, 3, 25, 25]);
  });
});

describe("defaultWeights", () => {
  it("weighs up to 25 observations equally", () => {
    expect(Array.from(defaultWeights(0))).toEqual([]);
    expect(Array.from(defaultWeights(3))).toEqual([1, 1, 1]);
    expect(Array.from(defaultWeights(25))).toEqual(new Array(25).fill(1));
  });

  it("ramps older observations from 1/n to 1 (np.linspace), then 25 ones", () => {
    expect(Array.from(defaultWeights(26))).toEqual([1 / 26, ...new Array(25).fill(1)]);
    const w = defaultWeights(30);
    expect(w.length).toBe(30);
    const ramp = Array.from(w.subarray(0, 5));
    const start = 1 / 30;
    ramp.forEach((v, i) => expect(v).toBeCloseTo(start + (i * (1 - start)) / 4, 15));
    expect(ramp[4]).toBe(1);
    expect(Array.from(w.subarray(5))).toEqual(new Array(25).fill(1));
  });
});
