import { describe, expect, it } from "vitest";
import { Rng } from "../rng.js";
import { symmetricEigen } from "./symmetric-eigen.js";

/** B diag(values) B^T. */
function recompose(values: readonly number[], vectors: readonly (readonly number[])[]): number[][] {
  const n = values.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => values.reduce((s, l, k) => s + vectors[i]![k]! * l * vectors[j]![k]!, 0)),
  );
}

function randomSymmetric(rng: Rng, n: number): number[][] {
  const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i]![j] = a[j]![i] = rng.normal();
  return a;
}

describe("symmetricEigen", () => {
  it("recomposes random symmetric matrices from orthonormal eigenvectors, eigenvalues ascending", () => {
    const rng = new Rng(7);
    for (const n of [1, 2, 3, 5, 12, 30]) {
      const a = randomSymmetric(rng, n);
      const { values, vectors } = symmetricEigen(a);
      for (let k = 1; k < n; k++) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
      const back = recompose(values, vectors);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(back[i]![j]!).toBeCloseTo(a[i]![j]!, 10);
      for (let k = 0; k < n; k++) {
        for (let l = 0; l < n; l++) {
          const d = vectors.reduce((s, row) => s + row[k]! * row[l]!, 0);
          expect(d).toBeCloseTo(k === l ? 1 : 0, 10);
        }
      }
    }
  });

  it("finds a known spectrum, including a repeated eigenvalue and a near-singular one", () => {
    // [[2,1],[1,2]] has eigenvalues 1 and 3 with eigenvectors (1,-1)/√2 and (1,1)/√2.
    const two = symmetricEigen([[2, 1], [1, 2]]);
    expect(two.values[0]).toBeCloseTo(1, 14);
    expect(two.values[1]).toBeCloseTo(3, 14);
    expect(Math.abs(two.vectors[0]![1]!)).toBeCloseTo(Math.SQRT1_2, 14);
    const repeated = symmetricEigen([[4, 0, 0], [0, 4, 0], [0, 0, 1e-12]]);
    expect(repeated.values).toEqual([1e-12, 4, 4]);
    // Tiny eigenvalues keep their relative accuracy (Jacobi's strength over tridiagonal QR).
    const graded = symmetricEigen([[1, 1e-9], [1e-9, 1e-10]]);
    expect(graded.values[0]! / (1e-10 - 1e-18)).toBeCloseTo(1, 6);
  });

  it("reads only the upper triangle and leaves its input alone", () => {
    const a = [[1, 2], [0, 1]];
    const { values } = symmetricEigen(a);
    expect(values[0]).toBeCloseTo(-1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    expect(a).toEqual([[1, 2], [0, 1]]);
  });
});
