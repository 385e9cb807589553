import { describe, expect, it } from "vitest";
import { fitRegressionTree, predictTree, sortByFeature } from "./regression-tree.js";

const options = { maxDepth: 64, minSamplesSplit: 2, minSamplesLeaf: 1 };

function input(columns: number[][], targets: number[]) {
  const features = columns.map((c) => Float64Array.from(c));
  return { features, targets: Float64Array.from(targets), order: sortByFeature(features) };
}

describe("fitRegressionTree", () => {
  it("fits distinct points exactly and splits at midpoints", () => {
    const data = input([[0, 1, 2, 3]], [5, 5, 9, 9]);
    const tree = fitRegressionTree(data, new Float64Array([1, 1, 1, 1]), options);
    expect(tree.nodeCount).toBe(3);
    expect(tree.feature[0]).toBe(0);
    expect(tree.threshold[0]).toBe(1.5);
    expect(predictTree(tree, [0.2])).toBe(5);
    expect(predictTree(tree, [2.7])).toBe(9);
  });

  it("splits on the feature that explains the target and ignores the other", () => {
    const data = input([[0, 1, 2, 3], [3, 0, 2, 1]], [0, 0, 1, 1]);
    const tree = fitRegressionTree(data, new Float64Array([1, 1, 1, 1]), options);
    expect(tree.feature[0]).toBe(0);
    expect(Array.from(tree.feature).filter((f) => f === 1)).toHaveLength(0);
  });

  it("treats weights as repeated samples and skips zero-weight ones", () => {
    const data = input([[0, 1, 2]], [0, 10, 4]);
    const tree = fitRegressionTree(data, new Float64Array([3, 0, 1]), options);
    expect(tree.weight[0]).toBe(4);
    expect(tree.value[0]).toBe(1);
    expect(predictTree(tree, [1])).toBe(0);
  });

  it("stops at maxDepth", () => {
    const data = input([[0, 1, 2, 3, 4, 5, 6, 7]], [0, 1, 2, 3, 4, 5, 6, 7]);
    const tree = fitRegressionTree(data, new Float64Array(8).fill(1), { ...options, maxDepth: 1 });
    expect(tree.nodeCount).toBe(3);
  });
});
