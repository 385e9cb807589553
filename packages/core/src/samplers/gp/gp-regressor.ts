import { cholesky, dotRange, invertLowerTransposed, solveLowerInPlace, solveLowerTransposeInPlace } from "../../numerics/linear-algebra.js";
import { coordinateDistance, kernelVector, matern52, matern52Derivative, type KernelParams } from "./kernel.js";

/** The training data of a GP: n scaled points (row-major, n x dim) and their standardized values. */
export interface TrainingData {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  readonly dim: number;
  readonly isCategorical: Uint8Array;
}

/**
 * A GP conditioned on its training data under fixed kernel parameters: the posterior mean and
 * variance at any point, and their gradients in the continuous coordinates. With C = K + noise I
 * = L L^T it keeps alpha = C^-1 y and M = L^-1, so
 *
 *   mean(x) = k(x)^T alpha,   var(x) = kernelScale - |M k(x)|^2,
 *
 * each in O(n^2) per point with contiguous row reads of M.
 */
export class GPRegressor {
  readonly params: KernelParams;
  readonly data: TrainingData;
  private readonly alpha: Float64Array;
  private readonly inverseFactor: Float64Array;
  /** Per-point scratch: k(x), M k(x), C^-1 k(x), the kernel derivative factors. */
  private readonly k: Float64Array;
  private readonly v: Float64Array;
  private readonly u: Float64Array;
  private readonly dk: Float64Array;
  /** Four kernel vectors, for posteriorBatch. */
  private readonly block: Float64Array;

  constructor(data: TrainingData, params: KernelParams) {
    this.data = data;
    this.params = params;
    const { n } = data;
    const c = covarianceMatrix(data, params);
    const l = new Float64Array(n * n);
    cholesky(c, n, l);
    this.alpha = Float64Array.from(data.y);
    solveLowerInPlace(l, n, this.alpha);
    solveLowerTransposeInPlace(l, n, this.alpha);
    // c is no longer needed: it becomes L^-T, whose transpose (in l) is M = L^-1.
    invertLowerTransposed(l, n, c);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) l[i * n + j] = c[j * n + i]!;
    this.inverseFactor = l;
    this.k = new Float64Array(n);
    this.v = new Float64Array(n);
    this.u = new Float64Array(n);
    this.dk = new Float64Array(n);
    this.block = new Float64Array(4 * n);
  }

  /** The posterior mean and variance at x (from `offset`), into out[0] and out[1]. */
  posterior(x: Float64Array, offset: number, out: Float64Array): void {
    const { n, dim, isCategorical } = this.data;
    kernelVector(this.params, isCategorical, this.data.x, n, dim, x, offset, this.k);
    out[0] = dotN(this.k, this.alpha, n);
    out[1] = Math.max(this.params.kernelScale - this.reducedNormSquared(), 0);
  }

  /**
   * The posterior means and variances of `count` points (row-major in xs) into means and
   * variances. Four points share each pass over M, so M is read from memory a quarter as often
   * as point by point: the preliminary scoring of the acquisition is memory-bound at large n.
   */
  posteriorBatch(xs: Float64Array, count: number, means: Float64Array, variances: Float64Array): void {
    const { n, dim, isCategorical } = this.data;
    const block = this.block;
    const m = this.inverseFactor;
    const scale = this.params.kernelScale;
    for (let start = 0; start < count; start += 4) {
      const size = Math.min(4, count - start);
      for (let b = 0; b < 4; b++) {
        const k = block.subarray(b * n, b * n + n);
        if (b < size) kernelVector(this.params, isCategorical, this.data.x, n, dim, xs, (start + b) * dim, k);
        else k.fill(0);
      }
      let q0 = 0;
      let q1 = 0;
      let q2 = 0;
      let q3 = 0;
      const o1 = n;
      const o2 = 2 * n;
      const o3 = 3 * n;
      for (let i = 0; i < n; i++) {
        const ri = i * n;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let j = 0; j <= i; j++) {
          const mij = m[ri + j]!;
          s0 += mij * block[j]!;
          s1 += mij * block[o1 + j]!;
          s2 += mij * block[o2 + j]!;
          s3 += mij * block[o3 + j]!;
        }
        q0 += s0 * s0;
        q1 += s1 * s1;
        q2 += s2 * s2;
        q3 += s3 * s3;
      }
      const q = [q0, q1, q2, q3];
      for (let b = 0; b < size; b++) {
        means[start + b] = dotN(block.subarray(b * n, b * n + n), this.alpha, n);
        variances[start + b] = Math.max(scale - q[b]!, 0);
      }
    }
  }

  /**
   * The posterior mean and variance at x, into out[0] and out[1], and their gradients with
   * respect to x's coordinates into gradMean and gradVar (zero for categorical coordinates,
   * which are not differentiable).
   */
  posteriorWithGradient(x: Float64Array, out: Float64Array, gradMean: Float64Array, gradVar: Float64Array): void {
    const { n, dim, isCategorical } = this.data;
    const isl = this.params.inverseSquaredLengthscales;
    const scale = this.params.kernelScale;
    const trainX = this.data.x;
    const k = this.k;
    const dk = this.dk;
    for (let j = 0; j < n; j++) {
      let r2 = 0;
      const row = j * dim;
      for (let d = 0; d < dim; d++) r2 += isl[d]! * coordinateDistance(x[d]!, trainX[row + d]!, isCategorical[d]!);
      k[j] = scale * matern52(r2);
      dk[j] = scale * matern52Derivative(r2);
    }
    out[0] = dotN(k, this.alpha, n);
    out[1] = Math.max(scale - this.reducedNormSquared(), 0);
    // u = C^-1 k = M^T (M k): d var / dx = -2 u^T dk/dx.
    const u = this.u;
    const m = this.inverseFactor;
    // M^T v with M lower triangular, as rows: u_j = sum_{i >= j} M_ij v_i.
    u.fill(0);
    for (let i = 0; i < n; i++) {
      const vi = this.v[i]!;
      if (vi === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) u[j]! += m[ri + j]! * vi;
    }
    gradMean.fill(0);
    gradVar.fill(0);
    for (let j = 0; j < n; j++) {
      // d k_j / d x_d = dk_j * isl_d * 2 (x_d - X_jd).
      const wm = dk[j]! * this.alpha[j]! * 2;
      const wv = -2 * dk[j]! * u[j]! * 2;
      const row = j * dim;
      for (let d = 0; d < dim; d++) {
        if (isCategorical[d] === 1) continue;
        const diff = isl[d]! * (x[d]! - trainX[row + d]!);
        gradMean[d]! += wm * diff;
        gradVar[d]! += wv * diff;
      }
    }
  }

  /** |M k|^2 for the k in this.k, leaving M k in this.v. */
  private reducedNormSquared(): number {
    const n = this.data.n;
    const m = this.inverseFactor;
    const k = this.k;
    const v = this.v;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const s = dotRange(m, i * n, k, 0, i + 1);
      v[i] = s;
      total += s * s;
    }
    return total;
  }
}

/** C = K(X, X) + noise I, full and row-major. */
export function covarianceMatrix(data: TrainingData, params: KernelParams): Float64Array {
  const { n, dim, isCategorical, x } = data;
  const isl = params.inverseSquaredLengthscales;
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    c[i * n + i] = params.kernelScale + params.noiseVar;
    for (let j = 0; j < i; j++) {
      let r2 = 0;
      for (let d = 0; d < dim; d++) r2 += isl[d]! * coordinateDistance(x[i * dim + d]!, x[j * dim + d]!, isCategorical[d]!);
      const v = params.kernelScale * matern52(r2);
      c[i * n + j] = v;
      c[j * n + i] = v;
    }
  }
  return c;
}

function dotN(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}
