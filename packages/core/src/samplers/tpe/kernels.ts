import type { Rng } from "../../rng.js";
import {
  cellHigh,
  cellLow,
  snapToGrid,
  type CategoricalDimension,
  type ContinuousDimension,
  type DiscreteDimension,
} from "./param-transform.js";
import { expNonPositive, logSumExp, NEGLIGIBLE } from "./log-sum-exp.js";
import { LOG_SQRT_2PI, logGaussMass, truncatedStandardNormalQuantile } from "./truncated-normal.js";

/**
 * The kernels of one dimension, one per mixture component, held as parallel typed arrays so the
 * density of a point under every component is one tight loop. Per-component constants (the
 * truncation's log normaliser) are computed once, when the estimator is built.
 */
export interface DimensionKernels {
  /** Adds each component's log density (or log cell mass) at the transformed value `x`. */
  addLogDensity(x: number, acc: Float64Array): void;
  /**
   * log sum_k exp(acc[k] + log density_k(x)), without writing `acc`: the last dimension's pass
   * and the mixture's log-sum-exp in one loop.
   */
  logSumExpWith(x: number, acc: Float64Array): number;
  /** A draw from component `k`, transformed and on the parameter's grid. */
  sample(rng: Rng, k: number): number;
}

/** Truncated normals on [low, high] for a continuous dimension. */
export class TruncatedNormalKernels implements DimensionKernels {
  private readonly invSigmas: Float64Array;

  /** Subtracts each kernel's log normaliser (log sigma sqrt(2 pi) + log truncated mass) from `base`. */
  constructor(
    private readonly dim: ContinuousDimension,
    private readonly mus: Float64Array,
    private readonly sigmas: Float64Array,
    base: Float64Array,
  ) {
    const n = mus.length;
    this.invSigmas = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const mu = mus[k] as number;
      const sigma = sigmas[k] as number;
      this.invSigmas[k] = 1 / sigma;
      base[k] =
        (base[k] as number) -
        (Math.log(sigma) + LOG_SQRT_2PI + logGaussMass((dim.low - mu) / sigma, (dim.high - mu) / sigma));
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

  logSumExpWith(x: number, acc: Float64Array): number {
    const mus = this.mus;
    const inv = this.invSigmas;
    // One pass with a running maximum; terms 40 below it are under 1e-17 of the sum and skip exp.
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (let k = 0; k < mus.length; k++) {
      const z = (x - (mus[k] as number)) * (inv[k] as number);
      const v = (acc[k] as number) - 0.5 * z * z;
      if (v > max) {
        sum = max - v > NEGLIGIBLE ? sum * expNonPositive(max - v) + 1 : 1;
        max = v;
      } else if (v - max > NEGLIGIBLE) {
        sum += expNonPositive(v - max);
      }
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
  private readonly invSigmas: Float64Array;
  private scratch: Float64Array | null = null;

  /** Subtracts each kernel's log mass of the whole widened range from `base`. */
  constructor(
    private readonly dim: DiscreteDimension,
    private readonly mus: Float64Array,
    private readonly sigmas: Float64Array,
    base: Float64Array,
  ) {
    const n = mus.length;
    this.invSigmas = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const mu = mus[k] as number;
      const sigma = sigmas[k] as number;
      this.invSigmas[k] = 1 / sigma;
      base[k] = (base[k] as number) - logGaussMass((dim.low - mu) / sigma, (dim.high - mu) / sigma);
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

  logSumExpWith(x: number, acc: Float64Array): number {
    this.scratch ??= new Float64Array(acc.length);
    this.scratch.set(acc);
    this.addLogDensity(x, this.scratch);
    return logSumExp(this.scratch);
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
  private scratch: Float64Array | null = null;

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

  logSumExpWith(x: number, acc: Float64Array): number {
    this.scratch ??= new Float64Array(acc.length);
    this.scratch.set(acc);
    this.addLogDensity(x, this.scratch);
    return logSumExp(this.scratch);
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
