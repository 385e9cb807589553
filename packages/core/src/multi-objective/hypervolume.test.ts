import { describe, expect, it } from "vitest";
import { Rng } from "../rng.js";
import { hypervolume, hypervolumeContributions, hypervolumeGain, selectHypervolumeSubset } from "./hypervolume.js";

/** Exact hypervolume by inclusion-exclusion over every subset: slow, independent of the code under test. */
function inclusionExclusion(points: number[][], reference: number[]): number {
  const inside = points.filter((p) => p.every((x, i) => x < reference[i]!));
  let total = 0;
  for (let mask = 1; mask < 1 << inside.length; mask++) {
    const corner = reference.map(() => Number.NEGATIVE_INFINITY);
    let size = 0;
    for (let i = 0; i < inside.length; i++) {
      if (!(mask & (1 << i))) continue;
      size += 1;
      inside[i]!.forEach((x, k) => (corner[k] = Math.max(corner[k]!, x)));
    }
    const box = corner.reduce((v, x, k) => v * (reference[k]! - x), 1);
    total += size % 2 === 1 ? box : -box;
  }
  return total;
}

function randomPoints(rng: Rng, n: number, m: number, grid = 0): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: m }, () => (grid ? Math.floor(rng.random() * grid) / grid : rng.random())));
}

describe("hypervolume", () => {
  it("hand-computed fronts", () => {
    expect(hypervolume([[1, 2]], [3, 3])).toBe(2);
    // Staircase (1,3), (2,2), (3,1) under (4,4): 3 + 2 + 1 columns of heights 1,2,3 -> 1*1 + 1*2 + 1*3.
    expect(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4])).toBe(6);
    // A dominated point and a duplicate change nothing.
    expect(hypervolume([[1, 3], [2, 2], [3, 1], [3, 3], [2, 2]], [4, 4])).toBe(6);
    // Points on or beyond the reference point add nothing.
    expect(hypervolume([[4, 0], [0, 4], [5, 5]], [4, 4])).toBe(0);
    expect(hypervolume([], [1, 1])).toBe(0);
    // Boxes of 2x2x1 and 1x1x2 in 3-D sharing a 1x1x1 cube.
    expect(hypervolume([[0, 0, 1], [1, 1, 0]], [2, 2, 2])).toBe(4 + 2 - 1);
    expect(hypervolume([[0, 0, 0, 0]], [1, 2, 3, 4])).toBe(24);
  });

  it("ZDT1's ideal front, sampled finely, gives the value the benchmark quotes (11.767)", () => {
    // f2 = 1 - sqrt(f1) on [0, 1]: the box 1.1 x 11 less the area under the curve, 1/3.
    const n = 20_000;
    const front = Array.from({ length: n }, (_, i) => [i / (n - 1), 1 - Math.sqrt(i / (n - 1))]);
    expect(hypervolume(front, [1.1, 11])).toBeCloseTo(1.1 * 11 - 1 / 3, 3);
  });

  for (const m of [2, 3, 4, 5]) {
    it(`matches inclusion-exclusion on random sets of ${m} objectives, with ties`, () => {
      const rng = new Rng(m);
      for (let round = 0; round < 60; round++) {
        const n = 1 + Math.floor(rng.random() * 9);
        const points = randomPoints(rng, n, m, round % 2 === 0 ? 4 : 0);
        const reference = Array.from({ length: m }, () => 0.8 + rng.random() * 0.4);
        expect(hypervolume(points, reference)).toBeCloseTo(inclusionExclusion(points, reference), 10);
      }
    });
  }

  it("refuses a point of the wrong length and a NaN reference, naming them", () => {
    expect(() => hypervolume([[1, 2, 3]], [4, 4])).toThrow("a point has 3 objectives, the reference point 2");
    expect(() => hypervolume([[1, 2]], [Number.NaN, 4])).toThrow("the reference point holds NaN");
  });
});

describe("hypervolumeContributions", () => {
  it("is each point's exclusive volume: 0 for dominated points and duplicates", () => {
    const c = hypervolumeContributions([[1, 3], [2, 2], [3, 1], [3, 3], [5, 0]], [4, 4]);
    expect(c).toEqual([1, 1, 1, 0, 0]);
    expect(hypervolumeContributions([[1, 1], [1, 1], [0, 2]], [3, 3])).toEqual([0, 0, 1]);
  });

  for (const m of [2, 3, 4]) {
    it(`equals hv(all) - hv(all but one) on random sets of ${m} objectives`, () => {
      const rng = new Rng(10 + m);
      for (let round = 0; round < 30; round++) {
        const points = randomPoints(rng, 2 + Math.floor(rng.random() * 7), m);
        const reference = points[0]!.map(() => 1);
        const all = hypervolume(points, reference);
        hypervolumeContributions(points, reference).forEach((c, i) => {
          expect(c).toBeCloseTo(all - hypervolume(points.filter((_, j) => j !== i), reference), 10);
        });
      }
    });
  }
});

describe("selectHypervolumeSubset", () => {
  it("picks, one at a time, the point adding the most hypervolume", () => {
    // Under (4, 4): (2, 2) alone covers 4, the most; then (1, 3) and (3, 1) add 1 each.
    expect(selectHypervolumeSubset([[1, 3], [2, 2], [3, 1]], 1, [4, 4])).toEqual([1]);
    expect(selectHypervolumeSubset([[1, 3], [2, 2], [3, 1]], 2, [4, 4])).toEqual([1, 0]);
    expect(selectHypervolumeSubset([[1, 3], [2, 2]], 5, [4, 4])).toEqual([0, 1]);
  });

  it("equals the plain greedy choice on random fronts (2 and 3 objectives)", () => {
    const rng = new Rng(21);
    for (let round = 0; round < 30; round++) {
      const m = 2 + (round % 2);
      const points = randomPoints(rng, 12, m);
      const reference = points[0]!.map(() => 1.1);
      const k = 1 + (round % 6);
      const plain: number[] = [];
      while (plain.length < k) {
        let best = -1;
        let bestGain = -1;
        points.forEach((p, i) => {
          if (plain.includes(i)) return;
          const gain = hypervolumeGain(p, plain.map((j) => points[j]!), reference);
          if (gain > bestGain) [best, bestGain] = [i, gain];
        });
        plain.push(best);
      }
      expect(selectHypervolumeSubset(points, k, reference)).toEqual(plain);
    }
  });
});
