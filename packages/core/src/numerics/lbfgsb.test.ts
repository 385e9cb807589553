import { describe, expect, it } from "vitest";
import { minimizeLbfgsb } from "./lbfgsb.js";

/** The n-dimensional Rosenbrock function and its gradient; minimum 0 at (1, ..., 1). */
function rosenbrock(x: Float64Array, g: Float64Array): number {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i]! += -400 * a * x[i]! - 2 * b;
    g[i + 1]! += 200 * a;
  }
  return f;
}

describe("minimizeLbfgsb", () => {
  it("finds Rosenbrock's minimum inside loose bounds", () => {
    for (const n of [2, 5]) {
      const r = minimizeLbfgsb(rosenbrock, new Float64Array(n).fill(-1.2), { lower: new Array(n).fill(-5), upper: new Array(n).fill(5), pgtol: 1e-8, ftol: 0 });
      expect(r.f, `n=${n}`).toBeLessThan(1e-10);
      for (const v of r.x) expect(v).toBeCloseTo(1, 4);
    }
  });

  it("stops on an active bound with the constrained minimum (KKT point)", () => {
    // On [-2, 0.5] x [-2, 2] the minimum lies on x0 = 0.5 with x1 = 0.25 (x1 = x0^2 minimises there).
    const r = minimizeLbfgsb(rosenbrock, [-1.5, 1.5], { lower: [-2, -2], upper: [0.5, 2], pgtol: 1e-9, ftol: 0 });
    expect(r.x[0]).toBe(0.5);
    expect(r.x[1]).toBeCloseTo(0.25, 6);
    expect(r.f).toBeCloseTo(0.25, 8);
  });

  it("keeps every evaluated point inside the box, from a start outside it", () => {
    const lower = [0.2, -0.3];
    const upper = [0.9, 0.4];
    const r = minimizeLbfgsb(
      (x, g) => {
        for (let i = 0; i < 2; i++) expect(x[i]! >= lower[i]! && x[i]! <= upper[i]!).toBe(true);
        return rosenbrock(x, g);
      },
      [3, -3],
      { lower, upper },
    );
    expect(r.x[1]).toBe(0.4);
    // x0 is interior: the partial derivative vanishes there.
    const g = new Float64Array(2);
    rosenbrock(r.x, g);
    expect(Math.abs(g[0]!)).toBeLessThan(1e-4);
    expect(g[1]).toBeLessThan(0);
  });

  it("minimises a badly scaled quadratic in few iterations, and respects maxEvaluations", () => {
    const scales = [1, 10, 100, 1000];
    const quad = (x: Float64Array, g: Float64Array): number => {
      let f = 0;
      for (let i = 0; i < 4; i++) {
        f += 0.5 * scales[i]! * (x[i]! - i) ** 2;
        g[i] = scales[i]! * (x[i]! - i);
      }
      return f;
    };
    const r = minimizeLbfgsb(quad, [5, 5, 5, 5], { pgtol: 1e-8, ftol: 0 });
    expect(r.f).toBeLessThan(1e-12);
    expect(r.iterations).toBeLessThan(40);
    const capped = minimizeLbfgsb(rosenbrock, [-1.2, 1], { maxEvaluations: 5 });
    expect(capped.evaluations).toBeLessThanOrEqual(5);
    expect(capped.stop).toBe("max-evaluations");
  });
});
