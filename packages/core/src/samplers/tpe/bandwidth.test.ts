import { describe, expect, it } from "vitest";
import { kernelBandwidths, type BandwidthOptions } from "./bandwidth.js";

const univariate: BandwidthOptions = { multivariate: false, nDims: 1, considerEndpoints: false, considerMagicClip: true };
const sigmas = (mus: number[], options: Partial<BandwidthOptions> = {}): number[] =>
  Array.from(kernelBandwidths(Float64Array.from(mus), 0, 1, { ...univariate, ...options }));

describe("kernelBandwidths", () => {
  it("takes the larger neighbour gap, the outermost observations only their inner gap", () => {
    // Fences 0 | 0.05 0.5 0.55 | 1; magic clip: at least 1 / min(100, 3 + 2) = 0.2.
    expect(sigmas([0.05, 0.5, 0.55])).toEqual([0.45, 0.45, 0.2]);
    // Order of the observations does not matter, each keeps its own width.
    expect(sigmas([0.55, 0.05, 0.5])).toEqual([0.2, 0.45, 0.45]);
  });

  it("lets the outermost reach the range's ends with considerEndpoints", () => {
    for (const s of sigmas([0.05, 0.5, 0.55], { considerEndpoints: true })) expect(s).toBeCloseTo(0.45, 15);
  });

  it("clips at 1e-12 without the magic clip, and never beyond the range", () => {
    const s = sigmas([0.05, 0.5, 0.55], { considerMagicClip: false });
    expect(s[2]).toBeCloseTo(0.05, 15);
    expect(sigmas([0.5], { considerMagicClip: false })).toEqual([0.5]);
    expect(sigmas([0.3, 0.3, 0.3], { considerMagicClip: false })).toEqual([1e-12, 1e-12, 1e-12]);
  });

  it("gives copies of a value the gaps a stable argsort would", () => {
    // Sorted: 0.2 (#0) 0.2 (#2) 0.2 (#3) 0.8 (#1). The first copy has only its inner gap (0,
    // clipped), the middle one gaps of 0, the last copy the gap of 0.6 to 0.8.
    const s = sigmas([0.2, 0.8, 0.2, 0.2], { considerMagicClip: false });
    expect(s[0]).toBe(1e-12);
    expect(s[1]).toBeCloseTo(0.6, 15);
    expect(s[2]).toBe(1e-12);
    expect(s[3]).toBeCloseTo(0.6, 15);
  });

  it("uses one Scott-like width for every kernel when multivariate", () => {
    const n = 50;
    const d = 3;
    const s = kernelBandwidths(new Float64Array(n).fill(0.5), -1, 1, { ...univariate, multivariate: true, nDims: d });
    const expected = 0.2 * n ** (-1 / (d + 4)) * 2;
    for (const v of s) expect(v).toBeCloseTo(expected, 14);
  });

  it("sorts large unsorted inputs like small ones (the quicksort path)", () => {
    const mus = Array.from({ length: 500 }, (_, i) => ((i * 7919) % 500) / 500);
    const s = sigmas(mus, { considerMagicClip: false });
    // Evenly spaced by 1/500: every inner kernel's widest gap is 1/500.
    mus.forEach((m, i) => {
      if (m > 0 && m < 499 / 500) expect(s[i]).toBeCloseTo(1 / 500, 12);
    });
  });
});
