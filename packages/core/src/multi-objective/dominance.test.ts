import { describe, expect, it } from "vitest";
import { Rng } from "../rng.js";
import { constrainedDominates, constraintViolation, dominates, nonDominatedRanks, paretoFrontIndices, toLosses } from "./dominance.js";

/** The front by definition: points no other point dominates. */
const bruteFront = (points: number[][]) => points.flatMap((p, i) => (points.some((q) => dominates(q, p)) ? [] : [i]));

describe("dominance", () => {
  it("is strict: equal points do not dominate each other", () => {
    expect(dominates([1, 2], [2, 2])).toBe(true);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([1, 3], [2, 2])).toBe(false);
    expect(dominates([2, 2], [1, 3])).toBe(false);
  });

  it("constrained: feasible beats infeasible, then the smaller violation, then plain dominance", () => {
    expect(constraintViolation([-1, 0, 2, 0.5])).toBe(2.5);
    expect(constraintViolation([-1, 0])).toBe(0);
    expect(constraintViolation([Number.NaN])).toBe(Number.POSITIVE_INFINITY);
    expect(constrainedDominates([9, 9], 0, [0, 0], 1)).toBe(true);
    expect(constrainedDominates([0, 0], 1, [9, 9], 0)).toBe(false);
    expect(constrainedDominates([9, 9], 1, [0, 0], 2)).toBe(true);
    expect(constrainedDominates([0, 0], 2, [0, 0], 2)).toBe(false);
    expect(constrainedDominates([0, 0], 0, [1, 1], 0)).toBe(true);
  });

  it("toLosses negates maximised objectives", () => {
    expect(toLosses([1, 2, 3], ["minimize", "maximize", "minimize"])).toEqual([1, -2, 3]);
  });
});

describe("non-dominated sorting", () => {
  it("ranks fronts one after another; equal points share a rank", () => {
    const points = [[1, 3], [2, 2], [3, 1], [2, 3], [3, 3], [1, 3], [4, 4]];
    expect(nonDominatedRanks(points)).toEqual([0, 0, 0, 1, 2, 0, 3]);
    expect(nonDominatedRanks(points, { stopAfter: 4 })).toEqual([0, 0, 0, Infinity, Infinity, 0, Infinity]);
  });

  it("with violations, ranks feasible points first and infeasible ones by violation", () => {
    const points = [[5, 5], [0, 0], [1, 1], [6, 6]];
    expect(nonDominatedRanks(points, { violations: [0, 2, 1, 0] })).toEqual([0, 3, 2, 1]);
  });

  it("each rank's points are dominated by none of the same or a later rank (random sets, 2-4 objectives)", () => {
    const rng = new Rng(7);
    for (let round = 0; round < 50; round++) {
      const m = 2 + (round % 3);
      const points = Array.from({ length: 30 }, () => Array.from({ length: m }, () => Math.floor(rng.random() * 6)));
      const ranks = nonDominatedRanks(points);
      points.forEach((p, i) => {
        points.forEach((q, j) => {
          if (dominates(q, p)) expect(ranks[j]).toBeLessThan(ranks[i]!);
        });
        // A point of rank r > 0 is dominated by one of rank r - 1.
        if (ranks[i]! > 0) expect(points.some((q, j) => ranks[j] === ranks[i]! - 1 && dominates(q, p))).toBe(true);
      });
    }
  });
});

describe("the Pareto front", () => {
  it("keeps every copy of a front point and drops ties on one objective that lose on the other", () => {
    expect(paretoFrontIndices([[1, 2], [1, 2], [1, 3], [0, 5], [2, 2], [5, 0]])).toEqual([0, 1, 3, 5]);
    expect(paretoFrontIndices([])).toEqual([]);
    expect(paretoFrontIndices([[3, 3, 3]])).toEqual([0]);
  });

  it("equals the definition on random sets with many ties (2 and 3 objectives)", () => {
    const rng = new Rng(3);
    for (let round = 0; round < 100; round++) {
      const m = round % 2 === 0 ? 2 : 3;
      const points = Array.from({ length: 1 + Math.floor(rng.random() * 40) }, () => Array.from({ length: m }, () => Math.floor(rng.random() * 5)));
      expect(paretoFrontIndices(points)).toEqual(bruteFront(points));
    }
  });
});
