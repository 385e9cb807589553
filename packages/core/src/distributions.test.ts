import { describe, expect, it } from "vitest";
import {
  categoricalDistribution,
  checkCompatible,
  containsValue,
  floatDistribution,
  intDistribution,
  isSingle,
  toExternal,
  toInternal,
} from "./distributions.js";
import { IncompatibleDistributionError, SearchSpaceError } from "./errors.js";

describe("search space validation", () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ["low > high", () => floatDistribution("lr", 1, 0), /parameter "lr": low \(1\) must be less than or equal to high \(0\)/],
    ["log with low = 0", () => floatDistribution("lr", 0, 1, { log: true }), /parameter "lr": log=true needs low > 0, got low=0/],
    ["log with low < 0 (int)", () => intDistribution("n", -1, 10, { log: true }), /parameter "n": log=true needs low > 0/],
    ["log with step", () => floatDistribution("x", 1, 2, { log: true, step: 0.1 }), /parameter "x": step and log cannot be used together/],
    ["step = 0", () => floatDistribution("x", 0, 1, { step: 0 }), /parameter "x": step must be a finite number > 0, got 0/],
    ["negative step", () => intDistribution("k", 0, 10, { step: -2 }), /parameter "k": step must be a finite number > 0, got -2/],
    ["non-finite low", () => floatDistribution("x", -Infinity, 1), /parameter "x": low must be a finite number, got -Infinity/],
    ["NaN high", () => floatDistribution("x", 0, Number.NaN), /parameter "x": high must be a finite number, got NaN/],
    ["non-integer int bounds", () => intDistribution("k", 0.5, 3), /parameter "k": low and high must be integers/],
    ["non-integer int step", () => intDistribution("k", 0, 3, { step: 0.5 }), /parameter "k": step must be a positive integer/],
    ["no choices", () => categoricalDistribution("act", []), /parameter "act": choices must be a non-empty array/],
    ["object choice", () => categoricalDistribution("act", [{} as never]), /parameter "act": choice \[object Object\]/],
  ];
  for (const [label, make, message] of cases) {
    it(`rejects ${label} with an error naming the parameter`, () => {
      expect(make).toThrow(SearchSpaceError);
      expect(make).toThrow(message);
    });
  }

  it("accepts low == high as a single-valued distribution", () => {
    expect(isSingle(floatDistribution("x", 2, 2))).toBe(true);
    expect(isSingle(intDistribution("k", 3, 3))).toBe(true);
    expect(isSingle(categoricalDistribution("c", ["a"]))).toBe(true);
    expect(isSingle(floatDistribution("x", 0, 1))).toBe(false);
  });
});

describe("distribution kinds", () => {
  it("rounds high down to the last grid point for step distributions", () => {
    expect(floatDistribution("x", 0, 1, { step: 0.3 }).high).toBe(0.9);
    expect(intDistribution("k", 1, 10, { step: 4 }).high).toBe(9);
  });

  it("knows which values it contains", () => {
    const f = floatDistribution("x", 0, 1, { step: 0.25 });
    expect(containsValue(f, 0.5)).toBe(true);
    expect(containsValue(f, 0.6)).toBe(false);
    const k = intDistribution("k", 2, 10, { step: 2 });
    expect(containsValue(k, 4)).toBe(true);
    expect(containsValue(k, 5)).toBe(false);
    expect(containsValue(k, 12)).toBe(false);
    const c = categoricalDistribution("c", ["a", 1, true, null]);
    expect(containsValue(c, null)).toBe(true);
    expect(containsValue(c, false)).toBe(false);
  });

  it("maps categorical choices to indices and back", () => {
    const c = categoricalDistribution("c", ["relu", null, false, 3]);
    expect(toInternal(c, null)).toBe(1);
    expect(toExternal(c, 2)).toBe(false);
    expect(toExternal(intDistribution("k", 0, 9), 3.0000001)).toBe(3);
  });

  it("refuses a name reused with another kind or other choices", () => {
    expect(() => checkCompatible("x", floatDistribution("x", 0, 1), intDistribution("x", 0, 1))).toThrow(
      IncompatibleDistributionError,
    );
    expect(() =>
      checkCompatible("c", categoricalDistribution("c", ["a", "b"]), categoricalDistribution("c", ["a", "c"])),
    ).toThrow(/Parameter "c" was suggested with an incompatible distribution: categorical choices changed/);
    // A float range may change between trials, as in Optuna.
    expect(() => checkCompatible("x", floatDistribution("x", 0, 1), floatDistribution("x", 0, 2))).not.toThrow();
  });
});
