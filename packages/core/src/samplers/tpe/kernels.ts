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
import { LOG_SQRT_2PI, logCentralMass, logGaussMass, truncatedStandardNormalQuantile } from "./truncated-normal.js";

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
    const n = mus.length;
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
      this.invSigmas[k] = inv;
      base[k] = (base[k] as number) - (logSigma + LOG_SQRT_2PI + logCentralMass((dim.low - mu) * inv, (dim.high - mu) * inv));
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

  sample(rng: Rng, k: number): number {
    return snapToGrid(this.dim, drawTruncatedNormal(rng, this.mus[k] as number, this.sigmas[k] as number, this.dim.low, this.dim.high));
  }
}

/**
 * Grid points: a component's probability of grid point v is the mass of v's cell under its
 * normal, over the mass of the whole (widened) range.
 */
export class DiscreteKernels implements DimensionKernels {
  /** Subtracts each kernel's log mass of the whole widened range from `base`. */
  constructor(
    private readonly dim: DiscreteDimension,
    private readonly mus: Float64Array,
    private readonly sigmas: Float64Array,
    base: Float64Array,
    /** Receives 1 / sigma per component. */
    private readonly invSigmas: Float64Array = new Float64Array(mus.length),
  ) {
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
    return snapToGrid(this.dim, drawTruncatedNormal(rng, this.mus[k] as number, this.sigmas[k] as number, this.dim.low, this.dim.high));
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

function drawTruncatedNormal(rng: Rng, mu: number, sigma: number, low: number, high: number): number {
  const z = truncatedStandardNormalQuantile(rng.random(), (low - mu) / sigma, (high - mu) / sigma);
  return Math.min(Math.max(mu + sigma * z, low), high);
}
