import { describe, expect, it } from "vitest";
import { decomposeTree } from "./fanova-tree.js";
import type { RegressionTree } from "./regression-tree.js";

/** A tree from [feature, threshold, left, right, value] rows (feature -1 for a leaf). */
function tree(rows: Array<[number, number, number, number, number]>): RegressionTree {
  return {
    nodeCount: rows.length,
    feature: Int32Array.from(rows, (r) => r[0]),
    threshold: Float64Array.from(rows, (r) => r[1]),
    left: Int32Array.from(rows, (r) => r[2]),
    right: Int32Array.from(rows, (r) => r[3]),
    value: Float64Array.from(rows, (r) => r[4]),
    weight: new Float64Array(rows.length).fill(1),
    impurity: new Float64Array(rows.length),
  };
}

describe("decomposeTree", () => {
  it("gives all the variance to the only feature split on", () => {
    // x <= 0.5 -> 0, else 10, over [0, 1] x [0, 1].
    const t = tree([
      [0, 0.5, 1, 2, 5],
      [-1, 0, -1, -1, 0],
      [-1, 0, -1, -1, 10],
    ]);
    const { variance, mainEffectVariance } = decomposeTree(t, [[0, 1], [0, 1]]);
    expect(variance).toBeCloseTo(25, 12);
    expect(mainEffectVariance[0]).toBeCloseTo(25, 12);
    expect(mainEffectVariance[1]).toBe(0);
  });

  it("splits an additive tree's variance between its features by their effects", () => {
    // f = 4 * [x > 0.5] + 2 * [y > 0.5]: main effects 4 and 1, no interaction.
    const t = tree([
      [0, 0.5, 1, 2, 0],
      [1, 0.5, 3, 4, 0],
      [1, 0.5, 5, 6, 0],
      [-1, 0, -1, -1, 0],
      [-1, 0, -1, -1, 2],
      [-1, 0, -1, -1, 4],
      [-1, 0, -1, -1, 6],
    ]);
    const { variance, mainEffectVariance } = decomposeTree(t, [[0, 1], [0, 1]]);
    expect(variance).toBeCloseTo(5, 12);
    expect(mainEffectVariance[0]).toBeCloseTo(4, 12);
    expect(mainEffectVariance[1]).toBeCloseTo(1, 12);
  });

  it("weighs each interval by its width in the domain", () => {
    // x <= 0.25 -> 4, else 0, over [0, 1]: a quarter of the domain at 4.
    const t = tree([
      [0, 0.25, 1, 2, 0],
      [-1, 0, -1, -1, 4],
      [-1, 0, -1, -1, 0],
    ]);
    const { variance, mainEffectVariance } = decomposeTree(t, [[0, 1]]);
    expect(variance).toBeCloseTo(3, 12);
    expect(mainEffectVariance[0]).toBeCloseTo(3, 12);
  });
});
