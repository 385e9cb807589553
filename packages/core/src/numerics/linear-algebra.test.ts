import { describe, expect, it } from "vitest";
import { Rng } from "../rng.js";
import {
  cholesky,
  dot,
  inverseEntryFromUpper,
  inverseFromInverseFactor,
  invertLower,
  invertLowerTransposed,
  norm,
  NotPositiveDefiniteError,
  orthonormalComplement,
  solveLinear,
  solveLowerInPlace,
  solveLowerTransposeInPlace,
} from "./linear-algebra.js";

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

describe("cholesky", () => {
  /** A (n x n, row-major) = B B^T for a random B: symmetric positive definite. */
  function randomSpd(n: number, rng: Rng): Float64Array {
    const b = Float64Array.from({ length: n * n }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j]! += b[i * n + k]! * b[j * n + k]!;
    for (let i = 0; i < n; i++) a[i * n + i]! += n * 1e-3;
    return a;
  }

  it("factorises a positive definite matrix without jitter; the solves and inverse agree", () => {
    const rng = new Rng(3);
    const n = 7;
    const a = randomSpd(n, rng);
    const l = new Float64Array(n * n);
    expect(cholesky(a, n, l)).toBe(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += l[i * n + k]! * l[j * n + k]!;
        expect(s).toBeCloseTo(a[i * n + j]!, 10);
        if (j > i) expect(l[i * n + j]).toBe(0);
      }
    }
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const x = Float64Array.from(b);
    solveLowerInPlace(l, n, x);
    solveLowerTransposeInPlace(l, n, x);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
      expect(s).toBeCloseTo(b[i]!, 9);
    }
    const linv = new Float64Array(n * n);
    invertLower(l, n, linv);
    const ainv = new Float64Array(n * n);
    inverseFromInverseFactor(linv, n, ainv);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k]! * ainv[k * n + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
  });

  it("adds the smallest sufficient jitter to a near-singular matrix (duplicated points)", () => {
    // The covariance of points where two coincide is singular: rank n - 1; rounding makes it indefinite.
    const xs = [0, 0.3, 0.3, 0.7, 1 / 3];
    const n = xs.length;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = Math.exp(-((xs[i]! - xs[j]!) ** 2) / 0.01) - 1e-15 * Number(i === j);
    const l = new Float64Array(n * n);
    const jitter = cholesky(a, n, l);
    expect(jitter).toBeGreaterThan(0);
    expect(jitter).toBeLessThan(1e-6);
    for (const v of l) expect(Number.isFinite(v)).toBe(true);
  });

  it("throws NotPositiveDefiniteError naming the size on an indefinite or non-finite matrix", () => {
    const indefinite = Float64Array.from([1, 2, 2, 1]);
    expect(() => cholesky(indefinite, 2, new Float64Array(4))).toThrow(NotPositiveDefiniteError);
    expect(() => cholesky(indefinite, 2, new Float64Array(4))).toThrow(/2x2 matrix/);
    expect(() => cholesky(Float64Array.from([Number.NaN]), 1, new Float64Array(1))).toThrow(NotPositiveDefiniteError);
  });
});

describe("invertLowerTransposed", () => {
  it("gives L^-T, and inverseEntryFromUpper the entries of A^-1", () => {
    const rng = new Rng(5);
    const n = 6;
    const b = Float64Array.from({ length: n * n }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j]! += b[i * n + k]! * b[j * n + k]!;
    for (let i = 0; i < n; i++) a[i * n + i]! += 0.1;
    const l = new Float64Array(n * n);
    cholesky(a, n, l);
    const u = new Float64Array(n * n);
    invertLowerTransposed(l, n, u);
    const linv = new Float64Array(n * n);
    invertLower(l, n, linv);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(u[i * n + j]).toBeCloseTo(linv[j * n + i]!, 12);
    const ainv = new Float64Array(n * n);
    inverseFromInverseFactor(linv, n, ainv);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(inverseEntryFromUpper(u, n, i, j)).toBeCloseTo(ainv[i * n + j]!, 10);
  });
});
