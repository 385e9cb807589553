import { ShoalError } from "../errors.js";

/**
 * Small dense linear algebra shared by the samplers: on plain number arrays for NSGA-II's UNDX,
 * and on row-major Float64Array matrices (Cholesky, triangular solves) for the GP sampler, whose
 * matrices are refactorised at every trial. Nothing here allocates more than its result.
 */

/** The dot product of two vectors of one length. */
export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** The Euclidean norm. */
export function norm(a: readonly number[]): number {
  return Math.sqrt(dot(a, a));
}

/**
 * An orthonormal basis of the subspace orthogonal to `direction` in R^n (n - 1 vectors), by
 * Gram-Schmidt over the standard basis, each vector orthogonalised twice for accuracy. A zero
 * direction gives e_2 ... e_n, as the subspace is then undefined and any basis will do.
 */
export function orthonormalComplement(direction: readonly number[]): number[][] {
  const n = direction.length;
  const length = norm(direction);
  const basis: number[][] = length > 1e-12 ? [direction.map((x) => x / length)] : [];
  const wanted = basis.length === 0 ? n - 1 : n;
  for (let k = 0; k < n && basis.length < wanted; k++) {
    if (basis.length === 0 && k === 0) continue; // zero direction: skip e_1
    const v = new Array<number>(n).fill(0);
    v[k] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        const p = dot(v, b);
        for (let i = 0; i < n; i++) v[i]! -= p * b[i]!;
      }
    }
    const l = norm(v);
    if (l > 1e-8) basis.push(v.map((x) => x / l));
  }
  return length > 1e-12 ? basis.slice(1) : basis;
}

/**
 * Solves the square system A x = b by Gaussian elimination with partial pivoting; null when A is
 * singular (a pivot below `tolerance` times the largest entry). A and b are not modified.
 */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[], tolerance = 1e-12): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  let scale = 0;
  for (const row of a) for (const x of row) scale = Math.max(scale, Math.abs(x));
  if (scale === 0) return null;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) <= tolerance * scale) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let c = r + 1; c < n; c++) s -= m[r]![c]! * x[c]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/**
 * Thrown when a matrix that should be symmetric positive definite (a GP's covariance) stays
 * indefinite even after the largest jitter `cholesky` is allowed to add: its entries are not
 * finite, or it is far from positive definite (a bug upstream, not rounding).
 */
export class NotPositiveDefiniteError extends ShoalError {
  constructor(
    readonly size: number,
    readonly maxJitter: number,
  ) {
    super(
      `Cholesky factorisation failed on a ${size}x${size} matrix even with a diagonal jitter of ${maxJitter}: ` +
        "it is not positive definite (are its entries finite and is it a covariance matrix?).",
    );
  }
}

/** Options of `cholesky`. */
export interface CholeskyOptions {
  /**
   * The first jitter tried after a plain attempt fails, relative to the mean diagonal entry;
   * each retry multiplies it by 10. @default 1e-10
   */
  initialRelativeJitter?: number;
  /** The largest relative jitter tried before giving up. @default 1e-2 */
  maxRelativeJitter?: number;
}

/**
 * The lower Cholesky factor L of a symmetric positive definite n x n matrix A (row-major, only
 * the lower triangle read), written into `out` (row-major; the strict upper triangle is zeroed).
 * A covariance matrix of close points is positive definite in exact arithmetic but may not be in
 * floating point, so when a pivot is not positive the factorisation is retried on A + jitter I
 * with a jitter growing tenfold from `initialRelativeJitter` times the mean diagonal. Returns the
 * jitter added (0 when none was needed); throws NotPositiveDefiniteError past `maxRelativeJitter`.
 */
export function cholesky(a: Float64Array, n: number, out: Float64Array, options: CholeskyOptions = {}): number {
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += a[i * n + i]!;
  meanDiagonal = n > 0 ? Math.abs(meanDiagonal / n) : 0;
  if (!Number.isFinite(meanDiagonal)) throw new NotPositiveDefiniteError(n, 0);
  const scale = meanDiagonal > 0 ? meanDiagonal : 1;
  const maxJitter = (options.maxRelativeJitter ?? 1e-2) * scale;
  let jitter = 0;
  let next = (options.initialRelativeJitter ?? 1e-10) * scale;
  for (;;) {
    if (choleskyAttempt(a, n, out, jitter)) return jitter;
    if (next > maxJitter) throw new NotPositiveDefiniteError(n, jitter);
    jitter = next;
    next *= 10;
  }
}

/**
 * sum_{k < count} a[ai + k] * b[bi + k] with four accumulators: a single running sum makes each
 * add wait for the previous one (a latency chain), four let the CPU overlap them. The GP's
 * factorisations spend nearly all their time here.
 */
export function dotRange(a: Float64Array, ai: number, b: Float64Array, bi: number, count: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < count; k += 4) {
    s0 += a[ai + k]! * b[bi + k]!;
    s1 += a[ai + k + 1]! * b[bi + k + 1]!;
    s2 += a[ai + k + 2]! * b[bi + k + 2]!;
    s3 += a[ai + k + 3]! * b[bi + k + 3]!;
  }
  for (; k < count; k++) s0 += a[ai + k]! * b[bi + k]!;
  return s0 + s1 + (s2 + s3);
}

/** One plain Cholesky pass on A + jitter I; false at the first pivot that is not positive. */
function choleskyAttempt(a: Float64Array, n: number, l: Float64Array, jitter: number): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      // Row-major L: rows i and j are both contiguous up to column j.
      let s = a[ri + j]! - dotRange(l, ri, l, rj, j);
      if (i === j) {
        s += jitter;
        if (!(s > 0) || !Number.isFinite(s)) return false;
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j]!;
      }
    }
    for (let j = i + 1; j < n; j++) l[ri + j] = 0;
  }
  return true;
}

/** Solves L x = b in place (b becomes x) for a lower-triangular row-major L. */
export function solveLowerInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * b[k]!;
    b[i] = s / l[ri + i]!;
  }
}

/** Solves L^T x = b in place (b becomes x) for a lower-triangular row-major L. */
export function solveLowerTransposeInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    const xi = b[i]! / l[i * n + i]!;
    b[i] = xi;
    // Column i of L^T is row i of L: subtract it from the rows above, reading L row by row.
    const ri = i * n;
    for (let k = 0; k < i; k++) b[k]! -= l[ri + k]! * xi;
  }
}

/**
 * The inverse of a lower-triangular row-major L (itself lower triangular), into `out`: row by
 * row, each row a combination of the rows above, so the inner loop runs over contiguous memory.
 */
export function invertLower(l: Float64Array, n: number, out: Float64Array): void {
  out.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    out[ri + i] = 1;
    for (let k = 0; k < i; k++) {
      const f = l[ri + k]!;
      if (f === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) out[ri + j]! -= f * out[rk + j]!;
    }
    const d = 1 / l[ri + i]!;
    for (let j = 0; j <= i; j++) out[ri + j]! *= d;
  }
}

/**
 * A^-1 = L^-T L^-1 from the inverse Cholesky factor M = L^-1 (row-major, lower), into `out`
 * (full symmetric): the sum over rows k of M[k]^T M[k], one rank-one update per row.
 */
export function inverseFromInverseFactor(m: Float64Array, n: number, out: Float64Array): void {
  out.fill(0, 0, n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const f = m[rk + i]!;
      if (f === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) out[ri + j]! += f * m[rk + j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j]!;
}

/**
 * The transpose of the inverse of a lower-triangular row-major L, i.e. U = L^-T (upper
 * triangular), into `out`. Computed as dot products of contiguous rows,
 *
 *   U[j][i] = (delta_ij - sum_{k=j}^{i-1} L[i][k] U[j][k]) / L[i][i],
 *
 * which V8 runs several times faster than the row updates of `invertLower`: the GP's fit does
 * this at every evaluation.
 */
export function invertLowerTransposed(l: Float64Array, n: number, out: Float64Array): void {
  out.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const d = 1 / l[ri + i]!;
    out[ri + i] = d;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      out[rj + i] = -dotRange(l, ri + j, out, rj + j, i - j) * d;
    }
  }
}

/** (A^-1)_ij = sum_{k >= max(i, j)} U[i][k] U[j][k] for U = L^-T (from `invertLowerTransposed`). */
export function inverseEntryFromUpper(u: Float64Array, n: number, i: number, j: number): number {
  const from = i > j ? i : j;
  return dotRange(u, i * n + from, u, j * n + from, n - from);
}
