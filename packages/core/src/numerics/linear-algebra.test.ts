import { describe, expect, it } from "vitest";
import { Rng } from "../rng.js";
import { dot, norm, orthonormalComplement } from "./linear-algebra.js";

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
