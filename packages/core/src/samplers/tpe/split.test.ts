import { describe, expect, it } from "vitest";
import { splitTrials } from "./split.js";
import { COMPLETE, FAIL, frozenTrial, PRUNED, RUNNING } from "./test-fixtures/trials.js";

const numbers = (trials: readonly { number: number }[]): number[] => trials.map((t) => t.number);

describe("splitTrials", () => {
  it("puts the n best COMPLETE trials below, the rest above, both in trial-number order", () => {
    const values = [5, 1, 4, 2, 3, 0.5];
    const trials = values.map((v, i) => frozenTrial(i, COMPLETE, v));
    const { below, above } = splitTrials(trials, "minimize", 3);
    expect(numbers(below)).toEqual([1, 3, 5]);
    expect(numbers(above)).toEqual([0, 2, 4]);
  });

  it("ranks by the largest values when maximizing", () => {
    const trials = [5, 1, 4, 2].map((v, i) => frozenTrial(i, COMPLETE, v));
    expect(numbers(splitTrials(trials, "maximize", 2).below)).toEqual([0, 2]);
  });

  it("breaks ties by trial number, as a stable sort does", () => {
    const trials = [1, 1, 1, 0].map((v, i) => frozenTrial(i, COMPLETE, v));
    expect(numbers(splitTrials(trials, "minimize", 2).below)).toEqual([0, 3]);
  });

  it("fills up with PRUNED trials: deepest step first, then best last intermediate value", () => {
    const trials = [
      frozenTrial(0, COMPLETE, 10),
      frozenTrial(1, PRUNED, null, {}, {}, { 0: 1, 1: 9 }), // depth 1, value 9
      frozenTrial(2, PRUNED, null, {}, {}, { 0: 0.1 }), // depth 0, value 0.1
      frozenTrial(3, PRUNED, null, {}, {}, { 0: 5, 1: 2 }), // depth 1, value 2
      frozenTrial(4, PRUNED, null), // no report: last
      frozenTrial(5, PRUNED, null, {}, {}, { 0: 0, 1: Number.NaN }), // NaN: worst among depth 1
    ];
    // 1 COMPLETE + 3 PRUNED below: trial 3 (depth 1, 2), trial 1 (depth 1, 9), trial 5 (depth 1, NaN).
    const { below, above } = splitTrials(trials, "minimize", 4);
    expect(numbers(below)).toEqual([0, 1, 3, 5]);
    expect(numbers(above)).toEqual([2, 4]);
    // For maximize the larger intermediate value wins.
    expect(numbers(splitTrials(trials, "maximize", 2).below)).toEqual([0, 1]);
  });

  it("puts RUNNING trials (constant liar) above and ignores FAIL", () => {
    const trials = [
      frozenTrial(0, COMPLETE, 1),
      frozenTrial(1, RUNNING, null),
      frozenTrial(2, FAIL, null),
      frozenTrial(3, COMPLETE, 2),
    ];
    const { below, above } = splitTrials(trials, "minimize", 5);
    expect(numbers(below)).toEqual([0, 3]);
    expect(numbers(above)).toEqual([1]);
  });

  it("accepts trials in any order and still returns number order", () => {
    const trials = [3, 0, 2, 1].map((n) => frozenTrial(n, COMPLETE, n));
    const { below, above } = splitTrials(trials, "minimize", 2);
    expect(numbers(below)).toEqual([0, 1]);
    expect(numbers(above)).toEqual([2, 3]);
  });

  it("handles a gamma larger than 64 (the sorting path)", () => {
    const trials = Array.from({ length: 200 }, (_, i) => frozenTrial(i, COMPLETE, (i * 37) % 200));
    const { below } = splitTrials(trials, "minimize", 100);
    expect(below).toHaveLength(100);
    expect(Math.max(...below.map((t) => t.value as number))).toBe(99);
  });
});
