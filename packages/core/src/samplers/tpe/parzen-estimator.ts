import { sumInOrder, type Rng } from "../../rng.js";
import { kernelBandwidths } from "./bandwidth.js";
import { CategoricalKernels, DiscreteKernels, TruncatedNormalKernels, type DimensionKernels } from "./kernels.js";
import { logSumExp } from "./log-sum-exp.js";
import type { Observations } from "./observations.js";
import type { Dimension } from "./param-transform.js";
import { SharedSigmaBlock } from "./shared-sigma-block.js";
import { freshFloat64, type Float64Allocator } from "./scratch-arena.js";

/** The knobs of the estimator that come from the sampler's options. */
export interface ParzenEstimatorParameters {
  readonly priorWeight: number;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  readonly multivariate: boolean;
}

/**
 * A Parzen (kernel density) estimator over one or more dimensions, as TPE's l(x) and g(x): a
 * mixture with one product kernel per observation plus one broad prior component. All dimensions
 * of a draw share its component, so in multivariate mode the mixture models correlations.
 */
export class ParzenEstimator {
  /** Observations + 1 (the prior). */
  readonly nComponents: number;
  readonly nDims: number;
  /** Normalised component weights, for picking a component. */
  private readonly weights: Float64Array;
  /** Per component: log weight + every dimension's constant log term. */
  private readonly baseLogDensity: Float64Array;
  private readonly kernels: DimensionKernels[];
  /** Set when the only dimension is continuous: then one fused pass gives the log density. */
  private readonly single: TruncatedNormalKernels | null;
  /** Set when all dimensions are continuous with one sigma for all observations (multivariate). */
  private readonly shared: SharedSigmaBlock | null;
  private readonly scratch: Float64Array;

  /**
   * Takes over `observations`' arrays (their spare slot receives the prior). The observations'
   * weights are normalised together with the prior's.
   */
  constructor(
    dims: readonly Dimension[],
    observations: Observations,
    params: ParzenEstimatorParameters,
    alloc: Float64Allocator = freshFloat64,
  ) {
    const n = observations.n;
    this.nComponents = n + 1;
    this.nDims = dims.length;
    const weights = observations.weights.subarray(0, n + 1);
    weights[n] = n === 0 ? 1 : params.priorWeight;
    let total = 0;
    for (let k = 0; k <= n; k++) total += weights[k] as number;
    const base = alloc(n + 1);
    for (let k = 0; k <= n; k++) {
      const w = (weights[k] as number) / total;
      weights[k] = w;
      base[k] = Math.log(w);
    }
    this.weights = weights;
    this.baseLogDensity = base;
    // A loop, not dims.map: map's arrays come packed or holey depending on whether V8 has
    // optimised the caller, and code expecting one kind is thrown away on meeting the other.
    this.kernels = [];
    for (let d = 0; d < dims.length; d++) {
      const column = observations.columns[d] as Float64Array;
      this.kernels.push(buildKernels(dims[d] as Dimension, column, n, params, dims.length, base, alloc));
    }
    const only = this.kernels[0];
    this.single = this.kernels.length === 1 && only instanceof TruncatedNormalKernels ? only : null;
    // The single continuous dimension scores four points at a time (see logSumExpMany).
    this.scratch = alloc(this.single !== null ? 4 * (n + 1) : n + 1);
    this.shared = this.kernels.length > 1 ? sharedSigmaBlock(this.kernels, this.baseLogDensity, alloc) : null;
  }

  /** `count` draws, row-major (count x nDims), transformed and on each parameter's grid. */
  sample(rng: Rng, count: number, alloc: Float64Allocator = freshFloat64): Float64Array {
    const out = alloc(count * this.nDims);
    const total = sumInOrder(this.weights);
    for (let i = 0; i < count; i++) {
      const k = rng.choiceWithTotal(this.weights, total);
      for (let d = 0; d < this.nDims; d++) out[i * this.nDims + d] = (this.kernels[d] as DimensionKernels).sample(rng, k);
    }
    return out;
  }

  /** Writes the log density of each of the `count` row-major points into `out`. */
  logPdf(points: Float64Array, count: number, out: Float64Array): void {
    // Continuous values seldom repeat, and a repeat would score the same anyway.
    if (this.single !== null) {
      this.single.logSumExpMany(points, count, this.baseLogDensity, this.scratch, out);
      return;
    }
    if (this.shared !== null) {
      this.shared.logPdfMany(points, count, out);
      return;
    }
    const D = this.nDims;
    for (let i = 0; i < count; i++) {
      // On a grid, candidates repeat: score each value once (a grid kernel costs two erfc).
      const repeat = D === 1 ? indexBefore(points, i) : -1;
      if (repeat >= 0) {
        out[i] = out[repeat] as number;
        continue;
      }
      // One pass per dimension over all components (faster than component-major with an inner
      // loop over dimensions), then the log-sum-exp.
      const acc = this.scratch;
      acc.set(this.baseLogDensity);
      for (let d = 0; d < D; d++) (this.kernels[d] as DimensionKernels).addLogDensity(points[i * D + d] as number, acc);
      out[i] = logSumExp(acc);
    }
  }
}

/** The first index before `i` holding the value at `i`, or -1 (indexOf without a subarray). */
function indexBefore(values: Float64Array, i: number): number {
  const v = values[i] as number;
  for (let j = 0; j < i; j++) if (values[j] === v) return j;
  return -1;
}

/** The fast path for multivariate kernels of continuous dimensions, when it applies. */
function sharedSigmaBlock(
  kernels: readonly DimensionKernels[],
  base: Float64Array,
  alloc: Float64Allocator,
): SharedSigmaBlock | null {
  const D = kernels.length;
  const sigmas = new Float64Array(D);
  const priorSigmas = new Float64Array(D);
  const mus: Float64Array[] = [];
  for (let d = 0; d < D; d++) {
    const kernel = kernels[d];
    if (!(kernel instanceof TruncatedNormalKernels)) return null;
    const sigma = kernel.sharedSigma();
    if (Number.isNaN(sigma)) return null;
    sigmas[d] = sigma;
    priorSigmas[d] = kernel.sigmas[kernel.sigmas.length - 1] as number;
    mus.push(kernel.mus);
  }
  return new SharedSigmaBlock(mus, sigmas, priorSigmas, base, alloc);
}

/** The kernels of one dimension; their constant log terms are subtracted from `base`. */
function buildKernels(
  dim: Dimension,
  column: Float64Array,
  n: number,
  params: ParzenEstimatorParameters,
  nDims: number,
  base: Float64Array,
  alloc: Float64Allocator,
): DimensionKernels {
  if (dim.kind === "categorical") return new CategoricalKernels(dim, column.subarray(0, n), params.priorWeight);
  const mus = column.subarray(0, n + 1);
  const sigmas = alloc(n + 1);
  kernelBandwidths(mus.subarray(0, n), dim.low, dim.high, { ...params, nDims }, sigmas);
  // The prior: centred on the range, as wide as the range.
  mus[n] = 0.5 * (dim.low + dim.high);
  sigmas[n] = dim.high - dim.low;
  return dim.kind === "continuous"
    ? new TruncatedNormalKernels(dim, mus, sigmas, base, alloc(n + 1))
    : new DiscreteKernels(dim, mus, sigmas, base, alloc(n + 1));
}
