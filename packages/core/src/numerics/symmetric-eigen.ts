/**
 * Eigen decomposition of a real symmetric matrix by the cyclic Jacobi method: each step zeroes one
 * off-diagonal entry by a plane rotation, and sweeps repeat until the off-diagonal part is below
 * rounding. For the small dense matrices the samplers hold (CMA-ES's covariance, a few to a few
 * dozen dimensions) it is simple, unconditionally convergent and accurate to the last digits even
 * for tiny eigenvalues, which matters where C^(-1/2) is formed from them.
 */

/** A = B diag(values) B^T: `values` ascending, `vectors[i][k]` the i-th entry of the k-th eigenvector. */
export interface SymmetricEigen {
  readonly values: number[];
  /** Row-major n x n, column k the unit eigenvector of `values[k]`. */
  readonly vectors: number[][];
}

/** Sweeps before giving up; Jacobi converges quadratically, so real matrices take well under 20. */
const MAX_SWEEPS = 60;

/**
 * The eigenvalues and eigenvectors of the symmetric matrix `a` (only its upper triangle is read,
 * so a slightly asymmetric input is treated as symmetric). `a` is not modified.
 */
export function symmetricEigen(a: readonly (readonly number[])[]): SymmetricEigen {
  const n = a.length;
  const m: number[][] = a.map((row, i) => row.map((_, j) => (j >= i ? a[i]![j]! : a[j]![i]!)));
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i]![i]! * m[i]![i]!;
      for (let j = i + 1; j < n; j++) off += m[i]![j]! * m[i]![j]!;
    }
    // Converged when the off-diagonal mass is at rounding level relative to the diagonal.
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p]![q]!;
        if (apq === 0) continue;
        const app = m[p]![p]!;
        const aqq = m[q]![q]!;
        // The rotation angle that zeroes a_pq, in the stable form of Numerical Recipes (t = tan θ, the smaller root).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k]![p]!;
          const mkq = m[k]![q]!;
          m[k]![p] = c * mkp - s * mkq;
          m[k]![q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p]![k]!;
          const mqk = m[q]![k]!;
          m[p]![k] = c * mpk - s * mqk;
          m[q]![k] = s * mpk + c * mqk;
        }
        m[p]![q] = 0;
        m[q]![p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[x]![x]! - m[y]![y]!);
  return {
    values: order.map((k) => m[k]![k]!),
    vectors: v.map((row) => order.map((k) => row[k]!)),
  };
}
