import { describe, expect, it } from "vitest";
import { SEED, trainTestSplit, xTrain, xVal, yTrain, yVal } from "./data.js";
import { permutation } from "./numpy-permutation.js";

describe("the tutorial's split", () => {
  it("is sklearn's train_test_split(X, y, test_size=0.2, random_state=77): the tutorial's printout", () => {
    expect(SEED).toBe(77);
    expect(xTrain).toHaveLength(120);
    expect(xVal).toHaveLength(30);
    expect(xTrain.slice(0, 3)).toEqual([
      [6.3, 2.5, 4.9, 1.5],
      [7.2, 3.0, 5.8, 1.6],
      [5.3, 3.7, 1.5, 0.2],
    ]);
    expect(yTrain.slice(0, 3)).toEqual([1, 2, 0]);
    expect(xVal.slice(0, 3)).toEqual([
      [5.8, 2.7, 3.9, 1.2],
      [6.3, 2.8, 5.1, 1.5],
      [5.7, 2.5, 5.0, 2.0],
    ]);
    expect(yVal.slice(0, 3)).toEqual([1, 2, 2]);
    const counts = (ys: number[]) => [0, 1, 2].map((c) => ys.filter((y) => y === c).length);
    expect(counts(yTrain)).toEqual([41, 42, 37]);
    expect(counts(yVal)).toEqual([9, 8, 13]);
  });

  it("puts every row in exactly one of the two sets", () => {
    const x = Array.from({ length: 10 }, (_, i) => [i]);
    const split = trainTestSplit(x, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], 0.25, 3);
    expect(split.xVal).toHaveLength(3);
    expect([...split.xVal, ...split.xTrain].map((row) => row[0]).sort((a, b) => a! - b!)).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
  });
});

describe("numpy's RandomState(seed).permutation(n)", () => {
  it("matches numpy bit for bit", () => {
    expect(permutation(10, 0)).toEqual([2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
    expect(permutation(1000, 123456).slice(0, 10)).toEqual([602, 357, 946, 829, 650, 232, 394, 680, 629, 29]);
    expect(permutation(150, 77).slice(0, 12)).toEqual([82, 133, 113, 93, 5, 114, 128, 119, 33, 94, 13, 134]);
  });

  it("rejects a seed numpy would reject", () => {
    expect(() => permutation(3, -1)).toThrow(RangeError);
    expect(() => permutation(3, 2 ** 32)).toThrow(RangeError);
  });
});
