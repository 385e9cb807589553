import { describe, expect, it } from "vitest";
import { belowWeightsByHypervolume, nadirReference, splitByDominance } from "./multi-objective-split.js";

describe("MOTPE's split", () => {
  const losses = [[1, 4], [2, 2], [4, 1], [3, 3], [5, 5], [2.5, 2.5]];

  it("takes whole non-domination ranks while they fit", () => {
    expect(splitByDominance(losses, 3)).toEqual([0, 1, 2]);
    expect(splitByDominance(losses, 0)).toEqual([]);
    expect(splitByDominance(losses, 10)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("cuts the rank that does not fit by hypervolume: the middle of a front before its ends", () => {
    // Rank 0 is (1,4), (2,2), (4,1); one of them: (2,2) adds the most under the nadir reference.
    expect(splitByDominance(losses, 1)).toEqual([1]);
    // Ranks 0 then one point of rank 1: (2.5,2.5) and (3,3) are both rank 1; (2.5,2.5) dominates (3,3), so rank 1 is (2.5,2.5) alone.
    expect(splitByDominance(losses, 4)).toEqual([0, 1, 2, 5]);
  });

  it("puts the reference point 10% beyond the worst, on either side of zero", () => {
    expect(nadirReference([[1, -10], [2, -20]])).toEqual([2.2, -9]);
    expect(nadirReference([[0, 0]])).toEqual([1e-12, 1e-12]);
  });
});

describe("MOTPE's below weights", () => {
  it("weighs front points by hypervolume contribution relative to the largest, the rest EPS", () => {
    // Reference (4.4, 4.4): exclusive boxes (1,4): 1 x 0.4, (2,2): 2 x 2, (4,1): 0.4 x 1.
    const w = belowWeightsByHypervolume([[1, 4], [2, 2], [4, 1], [3, 3]]);
    expect(Math.max(...w)).toBe(1);
    expect(w[1]).toBe(1); // the knee adds the most
    expect(w[3]).toBe(1e-12); // dominated
    expect(w[0]).toBeGreaterThan(0);
    expect(w[0]).toBeLessThan(1);
  });

  it("gives infeasible trials EPS and a lone feasible trial 1", () => {
    expect(belowWeightsByHypervolume([[1, 1], [0, 0]], [true, false])).toEqual([1, 1e-12]);
    expect(belowWeightsByHypervolume([[1, 1]])).toEqual([1]);
  });
});
