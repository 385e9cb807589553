import type { Rng } from "../../rng.js";
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
    this.weights = observations.weights.subarray(0, n + 1);
    this.weights[n] = n === 0 ? 1 : params.priorWeight;
    let total = 0;
    for (let k = 0; k <= n; k++) total += this.weights[k] as number;
    this.baseLogDensity = alloc(n + 1);
    for (let k = 0; k <= n; k++) {
      this.weights[k] = (this.weights[k] as number) / total;
      this.baseLogDensity[k] = Math.log(this.weights[k] as number);
    }
    this.kernels = dims.map((dim, d) =>
      buildKernels(dim, observations.columns[d] as Float64Array, n, params, dims.length, this.baseLogDensity, alloc),
    );
    const only = this.kernels[0];
    this.single = this.kernels.length === 1 && only instanceof TruncatedNormalKernels ? only : null;
    this.scratch = alloc(n + 1);
    this.shared = this.kernels.length > 1 ? sharedSigmaBlock(this.kernels, this.baseLogDensity, this.scratch, alloc) : null;
  }

  /** `count` draws, row-major (count x nDims), transformed and on each parameter's grid. */
  sample(rng: Rng, count: number, alloc: Float64Allocator = freshFloat64): Float64Array {
    const out = alloc(count * this.nDims);
    for (let i = 0; i < count; i++) {
      const k = rng.choice(this.weights);
      for (let d = 0; d < this.nDims; d++) out[i * this.nDims + d] = (this.kernels[d] as DimensionKernels).sample(rng, k);
    }
    return out;
  }

  /** Writes the log density of each of the `count` row-major points into `out`. */
  logPdf(points: Float64Array, count: number, out: Float64Array): void {
    const D = this.nDims;
    for (let i = 0; i < count; i++) {
      // On a grid, candidates repeat: score each value once (a grid kernel costs two erfc).
      const repeat = D === 1 ? points.subarray(0, i).indexOf(points[i] as number) : -1;
      if (repeat >= 0) {
        out[i] = out[repeat] as number;
        continue;
      }
      if (this.single !== null) {
        out[i] = this.single.logSumExpWith(points[i] as number, this.baseLogDensity, this.scratch);
        continue;
      }
      if (this.shared !== null) {
        out[i] = this.shared.logPdf(points, i * D);
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

/** The fast path for multivariate kernels of continuous dimensions, when it applies. */
function sharedSigmaBlock(
  kernels: readonly DimensionKernels[],
  base: Float64Array,
  scratch: Float64Array,
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
  return new SharedSigmaBlock(mus, sigmas, priorSigmas, base, scratch, alloc);
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
