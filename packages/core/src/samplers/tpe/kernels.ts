import type { Rng } from "../../rng.js";
import {
  cellHigh,
  cellLow,
  snapToGrid,
  type CategoricalDimension,
  type ContinuousDimension,
  type DiscreteDimension,
} from "./param-transform.js";
import { expNonPositive, NEGLIGIBLE } from "./log-sum-exp.js";
import { LOG_SQRT_2PI, logCentralMass, logGaussMass } from "./truncated-normal.js";
import { TruncatedDraws } from "./truncated-draws.js";

/**
 * The kernels of one dimension, one per mixture component, held as parallel typed arrays so the
 * density of a point under every component is one tight loop. Per-component constants (the
 * truncation's log normaliser) are computed once, when the estimator is built.
 */
export interface DimensionKernels {
  /** Adds each component's log density (or log cell mass) at the transformed value `x`. */
  addLogDensity(x: number, acc: Float64Array): void;
  /** A draw from component `k`, transformed and on the parameter's grid. */
  sample(rng: Rng, k: number): number;
}

/** Truncated normals on [low, high] for a continuous dimension. */
export class TruncatedNormalKernels implements DimensionKernels {
  /** Always made (cheap; its memo is made on the first draw), so the field never changes type. */
  private readonly draws: TruncatedDraws;

  /**
   * Subtracts each kernel's log normaliser (log sigma sqrt(2 pi) + log truncated mass) from
   * `base`, so the log density is base - z^2 / 2 with z = (x - mu) / sigma.
   */
  constructor(
    private readonly dim: ContinuousDimension,
    /** Per component (the prior last). */
    readonly mus: Float64Array,
    readonly sigmas: Float64Array,
    base: Float64Array,
    /** Receives 1 / sigma per component. */
    private readonly invSigmas: Float64Array = new Float64Array(mus.length),
  ) {
    this.draws = new TruncatedDraws(mus, sigmas, dim.low, dim.high);
    const n = mus.length;
    const { low, high } = dim;
    // Multivariate kernels share one sigma: take its log and inverse once.
    let lastSigma = Number.NaN;
    let logSigma = 0;
    let inv = 0;
    for (let k = 0; k < n; k++) {
      const mu = mus[k] as number;
      const sigma = sigmas[k] as number;
      if (sigma !== lastSigma) {
        lastSigma = sigma;
        logSigma = Math.log(sigma);
        inv = 1 / sigma;
      }
      invSigmas[k] = inv;
      base[k] = (base[k] as number) - (logSigma + LOG_SQRT_2PI + logCentralMass((low - mu) * inv, (high - mu) * inv));
    }
  }

  addLogDensity(x: number, acc: Float64Array): void {
    const mus = this.mus;
    const inv = this.invSigmas;
    for (let k = 0; k < mus.length; k++) {
      const z = (x - (mus[k] as number)) * (inv[k] as number);
      acc[k] = (acc[k] as number) - 0.5 * z * z;
    }
  }

  /** The sigma every observation's kernel has (multivariate TPE), or NaN if they differ. */
  sharedSigma(): number {
    const n = this.sigmas.length - 1;
    const first = this.sigmas[0] as number;
    for (let k = 1; k < n; k++) if (this.sigmas[k] !== first) return Number.NaN;
    return n > 0 ? first : Number.NaN;
  }

  /**
   * log sum_k exp(base[k] - z_k^2 / 2): the mixture's log density at x when this is its only
   * dimension, TPE's hottest loop. Two passes (the terms and their maximum, then the sum of
   * exps) run faster than one with a running maximum; `scratch` holds the terms in between.
   */
  logSumExpWith(x: number, base: Float64Array, scratch: Float64Array): number {
    const mus = this.mus;
    const inv = this.invSigmas;
    const n = mus.length;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const z = (x - (mus[k] as number)) * (inv[k] as number);
      const v = (base[k] as number) - 0.5 * z * z;
      scratch[k] = v;
      if (v > max) max = v;
    }
    if (max === Number.NEGATIVE_INFINITY) return max;
    const cut = max + NEGLIGIBLE;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const v = scratch[k] as number;
      if (v > cut) sum += expNonPositive(v - max);
    }
    return max + Math.log(sum);
  }

  /**
   * logSumExpWith at each of `count` points into `out`, four points per pass over the kernels:
   * each kernel's mean, 1/sigma and base are read once for four points, and the four sums run
   * side by side (a fifth faster). Each point still adds its terms in component order, so every
   * result is bit for bit logSumExpWith's. `scratch` holds 4 values per component.
   */
  logSumExpMany(points: Float64Array, count: number, base: Float64Array, scratch: Float64Array, out: Float64Array): void {
    const mus = this.mus;
    const inv = this.invSigmas;
    const n = mus.length;
    let i = 0;
    for (; i + 4 <= count; i += 4) {
      const x0 = points[i] as number;
      const x1 = points[i + 1] as number;
      const x2 = points[i + 2] as number;
      const x3 = points[i + 3] as number;
      let m0 = Number.NEGATIVE_INFINITY;
      let m1 = Number.NEGATIVE_INFINITY;
      let m2 = Number.NEGATIVE_INFINITY;
      let m3 = Number.NEGATIVE_INFINITY;
      // The terms, interleaved: scratch[4k + j] is point j's term of kernel k.
      for (let k = 0, r = 0; k < n; k++, r += 4) {
        const mu = mus[k] as number;
        const s = inv[k] as number;
        const b = base[k] as number;
        const z0 = (x0 - mu) * s;
        const z1 = (x1 - mu) * s;
        const z2 = (x2 - mu) * s;
        const z3 = (x3 - mu) * s;
        const v0 = b - 0.5 * z0 * z0;
        const v1 = b - 0.5 * z1 * z1;
        const v2 = b - 0.5 * z2 * z2;
        const v3 = b - 0.5 * z3 * z3;
        scratch[r] = v0;
        scratch[r + 1] = v1;
        scratch[r + 2] = v2;
        scratch[r + 3] = v3;
        if (v0 > m0) m0 = v0;
        if (v1 > m1) m1 = v1;
        if (v2 > m2) m2 = v2;
        if (v3 > m3) m3 = v3;
      }
      const c0 = m0 + NEGLIGIBLE;
      const c1 = m1 + NEGLIGIBLE;
      const c2 = m2 + NEGLIGIBLE;
      const c3 = m3 + NEGLIGIBLE;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = 0; r < 4 * n; r += 4) {
        const v0 = scratch[r] as number;
        const v1 = scratch[r + 1] as number;
        const v2 = scratch[r + 2] as number;
        const v3 = scratch[r + 3] as number;
        if (v0 > c0) s0 += expNonPositive(v0 - m0);
        if (v1 > c1) s1 += expNonPositive(v1 - m1);
        if (v2 > c2) s2 += expNonPositive(v2 - m2);
        if (v3 > c3) s3 += expNonPositive(v3 - m3);
      }
      out[i] = finishLogSumExp(m0, s0);
      out[i + 1] = finishLogSumExp(m1, s1);
      out[i + 2] = finishLogSumExp(m2, s2);
      out[i + 3] = finishLogSumExp(m3, s3);
    }
    for (; i < count; i++) out[i] = this.logSumExpWith(points[i] as number, base, scratch);
  }

  sample(rng: Rng, k: number): number {
    return snapToGrid(this.dim, this.draws.draw(rng, k));
  }
}

/** max + log(sum), or -Infinity when every term was (as logSumExpWith returns then). */
function finishLogSumExp(max: number, sum: number): number {
  return max === Number.NEGATIVE_INFINITY ? max : max + Math.log(sum);
}

/**
 * Grid points: a component's probability of grid point v is the mass of v's cell under its
 * normal, over the mass of the whole (widened) range.
 */
export class DiscreteKernels implements DimensionKernels {
  /** Always made (cheap; its memo is made on the first draw), so the field never changes type. */
  private readonly draws: TruncatedDraws;

  /** Subtracts each kernel's log mass of the whole widened range from `base`. */
  constructor(
    private readonly dim: DiscreteDimension,
    private readonly mus: Float64Array,
    private readonly sigmas: Float64Array,
    base: Float64Array,
    /** Receives 1 / sigma per component. */
    private readonly invSigmas: Float64Array = new Float64Array(mus.length),
  ) {
    this.draws = new TruncatedDraws(mus, sigmas, dim.low, dim.high);
    const n = mus.length;
    for (let k = 0; k < n; k++) {
      const mu = mus[k] as number;
      const sigma = sigmas[k] as number;
      this.invSigmas[k] = 1 / sigma;
      base[k] = (base[k] as number) - logCentralMass((dim.low - mu) / sigma, (dim.high - mu) / sigma);
    }
  }

  addLogDensity(x: number, acc: Float64Array): void {
    const lo = cellLow(this.dim, x);
    const hi = cellHigh(this.dim, x);
    const mus = this.mus;
    const inv = this.invSigmas;
    for (let k = 0; k < mus.length; k++) {
      const mu = mus[k] as number;
      const s = inv[k] as number;
      acc[k] = (acc[k] as number) + logGaussMass((lo - mu) * s, (hi - mu) * s);
    }
  }

  sample(rng: Rng, k: number): number {
    return snapToGrid(this.dim, this.draws.draw(rng, k));
  }
}

/**
 * Categorical kernels (Optuna's): observation k puts priorWeight / (n + 1) on every choice plus 1
 * on its own, normalised; the prior component is uniform.
 */
export class CategoricalKernels implements DimensionKernels {
  private readonly probs: Float64Array;
  private readonly logProbs: Float64Array;
  private readonly nChoices: number;

  /** `observed` holds the choice index of each observation; the prior is added as the last row. */
  constructor(dim: CategoricalDimension, observed: Float64Array, priorWeight: number) {
    const n = observed.length;
    const K = dim.nChoices;
    this.nChoices = K;
    this.probs = new Float64Array((n + 1) * K);
    const base = priorWeight / (n + 1);
    const rowSum = base * K + 1;
    for (let k = 0; k < n; k++) {
      const row = k * K;
      for (let c = 0; c < K; c++) this.probs[row + c] = base / rowSum;
      const o = row + (observed[k] as number);
      this.probs[o] = (base + 1) / rowSum;
    }
    this.probs.fill(1 / K, n * K);
    this.logProbs = new Float64Array(this.probs.length);
    for (let i = 0; i < this.probs.length; i++) this.logProbs[i] = Math.log(this.probs[i] as number);
  }

  addLogDensity(x: number, acc: Float64Array): void {
    const K = this.nChoices;
    const lp = this.logProbs;
    for (let k = 0, i = x; k < acc.length; k++, i += K) acc[k] = (acc[k] as number) + (lp[i] as number);
  }

  sample(rng: Rng, k: number): number {
    const K = this.nChoices;
    const u = rng.random();
    let cumulative = 0;
    for (let c = 0; c < K - 1; c++) {
      cumulative += this.probs[k * K + c] as number;
      if (u < cumulative) return c;
    }
    return K - 1;
  }
}

