/**
 * The GP's covariance (Optuna's `_gp/gp.py`): a Matern 5/2 kernel with automatic relevance
 * determination over the scaled parameters,
 *
 *   k(x, x') = kernelScale * matern52(r2),   r2 = sum_d isl_d * d2_d(x, x'),
 *
 * where isl_d = 1 / lengthscale_d^2 (the inverse squared lengthscale) and d2_d is the squared
 * difference for a numeric parameter and the Hamming distance [x_d != x'_d] for a categorical
 * one, so a categorical parameter contributes isl_d whenever the choices differ.
 */

/** The kernel's hyperparameters. */
export interface KernelParams {
  /** 1 / lengthscale^2, one per parameter. */
  readonly inverseSquaredLengthscales: Float64Array;
  readonly kernelScale: number;
  /** The observation noise variance added to the diagonal. */
  readonly noiseVar: number;
}

const SQRT5 = Math.sqrt(5);

/** matern52(r2) = exp(-sqrt(5 r2)) (1 + sqrt(5 r2) + 5/3 r2), for a squared scaled distance r2. */
export function matern52(r2: number): number {
  const s = SQRT5 * Math.sqrt(r2);
  return Math.exp(-s) * (1 + s + (5 / 3) * r2);
}

/**
 * d matern52 / d r2 = -5/6 (1 + sqrt(5 r2)) exp(-sqrt(5 r2)): taken with respect to r2, not the
 * distance, so it is finite at r2 = 0 (where the distance's derivative has a 0/0).
 */
export function matern52Derivative(r2: number): number {
  const s = SQRT5 * Math.sqrt(r2);
  return (-5 / 6) * (1 + s) * Math.exp(-s);
}

/** The per-parameter distance d2_d between two scaled values (squared difference, or Hamming). */
export function coordinateDistance(a: number, b: number, categorical: number): number {
  if (categorical === 1) return a === b ? 0 : 1;
  const t = a - b;
  return t * t;
}

/**
 * The per-parameter distances of every pair i > j of the n points X (row-major, n x dim), pair
 * p = i (i - 1) / 2 + j at p * dim: computed once per fit, since only the lengthscales change
 * between the fit's evaluations.
 */
export function pairDistances(x: Float64Array, n: number, dim: number, isCategorical: Uint8Array): Float64Array {
  const out = new Float64Array(((n * (n - 1)) / 2) * dim);
  let p = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      for (let d = 0; d < dim; d++) out[p++] = coordinateDistance(x[i * dim + d]!, x[j * dim + d]!, isCategorical[d]!);
    }
  }
  return out;
}

/** k(x, X_j) for every training point j, into `out` (length n). */
export function kernelVector(
  params: KernelParams,
  isCategorical: Uint8Array,
  trainX: Float64Array,
  n: number,
  dim: number,
  x: Float64Array,
  xOffset: number,
  out: Float64Array,
): void {
  const isl = params.inverseSquaredLengthscales;
  const scale = params.kernelScale;
  for (let j = 0; j < n; j++) {
    let r2 = 0;
    const row = j * dim;
    for (let d = 0; d < dim; d++) r2 += isl[d]! * coordinateDistance(x[xOffset + d]!, trainX[row + d]!, isCategorical[d]!);
    out[j] = scale * matern52(r2);
  }
}
