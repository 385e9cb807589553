import { describe, expect, it } from "vitest";
import { deriveSeed, Rng } from "./rng.js";

describe("Rng", () => {
  it("repeats its stream for the same seed and differs for another", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.random())).not.toEqual(xs);
  });

  it("draws uniform numbers in [0, 1) with the right mean, and normals with mean 0 and sd 1", () => {
    const rng = new Rng(7);
    const n = 20000;
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.random();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      const z = rng.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(sumN2 / n)).toBeCloseTo(1, 1);
  });

  it("derives distinct, stable seeds from labels", () => {
    expect(deriveSeed(1, 3, "x")).toBe(deriveSeed(1, 3, "x"));
    expect(deriveSeed(1, 3, "x")).not.toBe(deriveSeed(1, 3, "y"));
    expect(deriveSeed(1, 3, "x")).not.toBe(deriveSeed(1, 4, "x"));
    expect(deriveSeed(1, 3, "x")).not.toBe(deriveSeed(2, 3, "x"));
  });

  it("chooses indices in proportion to weights", () => {
    const rng = new Rng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 9000; i++) counts[rng.choice([1, 0, 2])]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(1.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(2.3);
  });
});
