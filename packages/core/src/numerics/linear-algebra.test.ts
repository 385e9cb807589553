import { describe, expect, it } from "vitest";
import { Rng } from "../rng.js";
import { dot, norm, orthonormalComplement, solveLinear } from "./linear-algebra.js";

describe("orthonormalComplement", () => {
  it("gives n - 1 unit vectors orthogonal to the direction and to each other", () => {
    const rng = new Rng(1);
    for (const n of [1, 2, 3, 7]) {
      const d = Array.from({ length: n }, () => rng.normal());
      const basis = orthonormalComplement(d);
      expect(basis).toHaveLength(n - 1);
      for (const [i, b] of basis.entries()) {
        expect(norm(b)).toBeCloseTo(1, 12);
        expect(dot(b, d)).toBeCloseTo(0, 12);
        for (const c of basis.slice(i + 1)) expect(dot(b, c)).toBeCloseTo(0, 12);
      }
    }
  });

  it("for a direction along an axis, and for a zero direction, gives the other axes", () => {
    expect(orthonormalComplement([0, 2, 0])).toEqual([[1, 0, 0], [0, 0, 1]]);
    expect(orthonormalComplement([0, 0, 0])).toEqual([[0, 1, 0], [0, 0, 1]]);
  });
});

describe("solveLinear", () => {
  it("solves a system that needs pivoting and returns null for a singular one", () => {
    const x = solveLinear([[0, 2, 1], [1, 1, 1], [2, 1, 0]], [7, 6, 4])!;
    expect(x[0]).toBeCloseTo(1, 12);
    expect(x[1]).toBeCloseTo(2, 12);
    expect(x[2]).toBeCloseTo(3, 12);
    expect(solveLinear([[1, 2], [2, 4]], [1, 2])).toBeNull();
    expect(solveLinear([[0, 0], [0, 0]], [1, 2])).toBeNull();
  });

  it("recovers random solutions", () => {
    const rng = new Rng(2);
    for (let t = 0; t < 20; t++) {
      const n = 1 + (t % 6);
      const a = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
      const want = Array.from({ length: n }, () => rng.normal());
      const b = a.map((row) => dot(row, want));
      solveLinear(a, b)!.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 8));
    }
  });
});
