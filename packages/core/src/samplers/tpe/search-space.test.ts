import { describe, expect, it } from "vitest";
import type { Distribution } from "../../distributions.js";
import { GroupDecomposedSearchSpace, IntersectionSearchSpace, withoutSingles } from "./search-space.js";
import { COMPLETE, frozenTrial } from "./test-fixtures/trials.js";

const f = (low: number, high: number): Distribution => ({ kind: "float", low, high, step: null, log: false });
const c: Distribution = { kind: "categorical", choices: ["a", "b"] };

function trialWith(number: number, distributions: Record<string, Distribution>) {
  const params = Object.fromEntries(Object.keys(distributions).map((k) => [k, 0]));
  return frozenTrial(number, COMPLETE, 0, params, distributions);
}

describe("IntersectionSearchSpace", () => {
  it("keeps the parameters every trial has with the same distribution, names sorted", () => {
    const space = new IntersectionSearchSpace();
    const t0 = trialWith(0, { y: f(0, 1), x: f(0, 1), z: c });
    const t1 = trialWith(1, { x: f(0, 1), y: f(0, 2), z: c });
    expect(Object.keys(space.calculate([t0]))).toEqual(["x", "y", "z"]);
    // y changed its range in trial 1: no longer common.
    expect(space.calculate([t0, t1])).toEqual({ x: f(0, 1), z: c });
    // Incremental: trials seen before are not read again, new ones still narrow it.
    expect(space.calculate([t0, t1, trialWith(2, { z: c })])).toEqual({ z: c });
  });

  it("is empty before any trial", () => {
    expect(new IntersectionSearchSpace().calculate([])).toEqual({});
  });
});

describe("GroupDecomposedSearchSpace", () => {
  it("splits parameters into groups that always occur together", () => {
    const space = new GroupDecomposedSearchSpace();
    const trials = [
      trialWith(0, { kind: c, a1: f(0, 1), a2: f(0, 1) }),
      trialWith(1, { kind: c, b1: f(0, 1) }),
      trialWith(2, { kind: c, a1: f(0, 1), a2: f(0, 1) }),
    ];
    const groups = space.calculate(trials).map((g) => Object.keys(g));
    expect(groups).toEqual([["kind"], ["a1", "a2"], ["b1"]]);
  });
});

describe("withoutSingles", () => {
  it("drops parameters with a single possible value", () => {
    const single: Distribution = { kind: "categorical", choices: ["only"] };
    expect(withoutSingles({ x: f(0, 1), s: single, p: f(2, 2) })).toEqual({ x: f(0, 1) });
  });
});
