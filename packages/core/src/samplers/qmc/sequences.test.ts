import { describe, expect, it } from "vitest";
import { HaltonSequence } from "./halton.js";
import { SobolSequence } from "./sobol.js";

const pick = (p: Float64Array, dims: number[]) => dims.map((d) => p[d]);

describe("SobolSequence", () => {
  it("is scipy.stats.qmc.Sobol(scramble=False), point for point (values from scipy 1.17)", () => {
    const five = new SobolSequence(5);
    expect([...five.point(1)]).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    expect([...five.point(2)]).toEqual([0.75, 0.25, 0.25, 0.25, 0.75]);
    expect([...five.point(7)]).toEqual([0.125, 0.625, 0.375, 0.125, 0.125]);
    expect([...five.point(100)]).toEqual([0.4140625, 0.2578125, 0.7734375, 0.7265625, 0.8828125]);
    expect([...five.point(1023)]).toEqual([0.0009765625, 0.7529296875, 0.6123046875, 0.1455078125, 0.1865234375]);
    const wide = new SobolSequence(128);
    expect(pick(wide.point(5), [0, 1, 2, 50, 100, 127])).toEqual([0.875, 0.875, 0.125, 0.625, 0.125, 0.125]);
    expect(pick(wide.point(13), [3, 64, 127])).toEqual([0.0625, 0.4375, 0.1875]);
    // Deep in the sequence, where the recurrence's direction numbers decide every bit.
    expect(pick(wide.point(100000), [0, 1, 6, 20, 63, 127])).toEqual([
      0.06107330322265625, 0.10758209228515625, 0.06101226806640625, 0.24465179443359375, 0.45888519287109375, 0.08440399169921875,
    ]);
  });

  it("scrambled, stays a (0, m, 1)-net in each dimension: the first 2^m points fill every interval of width 2^-m once", () => {
    const seq = new SobolSequence(8, { seed: 7 });
    const m = 7;
    for (let d = 0; d < 8; d++) {
      const cells = new Set<number>();
      for (let i = 0; i < 2 ** m; i++) cells.add(Math.floor((seq.point(i)[d] as number) * 2 ** m));
      expect(cells.size).toBe(2 ** m);
    }
    // A different seed scrambles differently; the same seed the same.
    expect([...new SobolSequence(8, { seed: 8 }).point(3)]).not.toEqual([...seq.point(3)]);
    expect([...new SobolSequence(8, { seed: 7 }).point(3)]).toEqual([...seq.point(3)]);
    for (let i = 0; i < 1000; i++) for (const x of seq.point(i)) expect(x >= 0 && x < 1).toBe(true);
  });

  it("refuses more dimensions than it has direction numbers for", () => {
    expect(() => new SobolSequence(129)).toThrow(/1 to 128 dimensions, got 129/);
  });
});

describe("HaltonSequence", () => {
  it("is scipy.stats.qmc.Halton(scramble=False): radical inverses in 2, 3, 5", () => {
    const seq = new HaltonSequence(3);
    for (const [i, expected] of [[1, [0.5, 1 / 3, 0.2]], [2, [0.25, 2 / 3, 0.4]], [5, [0.625, 7 / 9, 0.04]], [9, [0.5625, 1 / 27, 0.84]]] as const) {
      const p = seq.point(i);
      expected.forEach((v, d) => expect(p[d]).toBeCloseTo(v, 14));
    }
  });

  it("scrambled: within [0, 1), the base's strata still filled once per b points, seeded", () => {
    const seq = new HaltonSequence(4, { seed: 3 });
    for (const [d, base] of [[0, 2], [1, 3], [2, 5], [3, 7]] as const) {
      const cells = new Set<number>();
      for (let i = 0; i < base * base; i++) cells.add(Math.floor((seq.point(i)[d] as number) * base * base));
      expect(cells.size).toBe(base * base);
    }
    expect([...new HaltonSequence(4, { seed: 3 }).point(11)]).toEqual([...seq.point(11)]);
    for (let i = 0; i < 1000; i++) for (const x of seq.point(i)) expect(x >= 0 && x < 1).toBe(true);
  });
});
