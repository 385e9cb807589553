import { cholesky, inverseEntryFromUpper, invertLowerTransposed, NotPositiveDefiniteError, solveLowerInPlace, solveLowerTransposeInPlace } from "../../numerics/linear-algebra.js";
import { minimizeLbfgsb } from "../../numerics/lbfgsb.js";
import { pairDistances, matern52, matern52Derivative, type KernelParams } from "./kernel.js";
import type { TrainingData } from "./gp-regressor.js";
import { defaultLogPrior, MINIMUM_NOISE_VAR } from "./prior.js";

/** How the fit treats the noise. */
export interface FitOptions {
  /** Fix the noise variance at `minimumNoise` instead of fitting it (a deterministic objective). */
  readonly deterministic: boolean;
  /** @default MINIMUM_NOISE_VAR */
  readonly minimumNoise?: number;
}

/**
 * Box bounds of the raw coordinates: wide enough never to bind on sensible data (the prior keeps
 * isl near [1e-2, 1e2]), but they keep a runaway step from overflowing exp() into a matrix of
 * infinities, which an unbounded L-BFGS may take on a flat likelihood.
 */
const LOG_ISL_BOUNDS: readonly [number, number] = [Math.log(1e-6), Math.log(1e6)];
const LOG_SCALE_BOUNDS: readonly [number, number] = [Math.log(1e-6), Math.log(1e4)];
/**
 * The noise's raw coordinate is log(noiseVar - minimumNoise); below 1% of the minimum the noise
 * no longer changes, yet an unbounded optimiser on a deterministic objective spends a dozen
 * O(n^3) evaluations walking down that flat valley. So the lower bound is log(0.01 minimum).
 */
const RAW_NOISE_UPPER = Math.log(1e2);

/**
 * The fit's objective: the negative log marginal likelihood of the training data plus the
 * negative log prior, as a function of the raw coordinates
 *
 *   theta = [log isl_1 ... log isl_D, log kernelScale, log(noiseVar - minimumNoise)],
 *
 * with its analytic gradient. With C = K + noise I = L L^T and alpha = C^-1 y,
 *
 *   log p(y) = -1/2 y^T alpha - sum_i log L_ii - n/2 log 2 pi,
 *   d log p(y) / d theta = 1/2 tr((alpha alpha^T - C^-1) dC/dtheta),
 *
 * so one evaluation costs a Cholesky and an inverse, O(n^3), and the D + 2 traces reuse the
 * per-pair kernel values and per-parameter distances, O(n^2 D). Buffers are kept between
 * evaluations: the optimiser calls this a few dozen times per fit.
 */
export class NegativeLogPosterior {
  readonly dim: number;
  private readonly data: TrainingData;
  private readonly deterministic: boolean;
  private readonly minimumNoise: number;
  private readonly d2: Float64Array;
  private readonly c: Float64Array;
  private readonly l: Float64Array;
  private readonly alpha: Float64Array;
  private readonly pairKernel: Float64Array;
  private readonly pairDerivative: Float64Array;
  private readonly isl: Float64Array;
  private readonly gradLogIsl: Float64Array;

  constructor(data: TrainingData, options: FitOptions) {
    this.data = data;
    this.dim = data.dim;
    this.deterministic = options.deterministic;
    this.minimumNoise = options.minimumNoise ?? MINIMUM_NOISE_VAR;
    const { n } = data;
    this.d2 = pairDistances(data.x, n, data.dim, data.isCategorical);
    this.c = new Float64Array(n * n);
    this.l = new Float64Array(n * n);
    this.alpha = new Float64Array(n);
    this.pairKernel = new Float64Array((n * (n - 1)) / 2);
    this.pairDerivative = new Float64Array((n * (n - 1)) / 2);
    this.isl = new Float64Array(data.dim);
    this.gradLogIsl = new Float64Array(data.dim);
  }

  /** The kernel parameters at raw coordinates theta. */
  paramsAt(theta: ArrayLike<number>): KernelParams {
    const d = this.dim;
    return {
      inverseSquaredLengthscales: Float64Array.from({ length: d }, (_, i) => Math.exp(theta[i]!)),
      kernelScale: Math.exp(theta[d]!),
      noiseVar: this.deterministic ? this.minimumNoise : this.minimumNoise + Math.exp(theta[d + 1]!),
    };
  }

  /** The raw coordinates of kernel parameters (the noise's only when it is fitted). */
  rawOf(params: KernelParams): Float64Array {
    const d = this.dim;
    const theta = new Float64Array(d + 2);
    for (let i = 0; i < d; i++) theta[i] = Math.log(params.inverseSquaredLengthscales[i]!);
    theta[d] = Math.log(params.kernelScale);
    // Start a hair above the minimum so the log stays finite (Optuna adds 1% of it).
    theta[d + 1] = Math.log(Math.max(params.noiseVar - 0.99 * this.minimumNoise, 1e-12));
    return theta;
  }

  /** Lower and upper bounds of the raw coordinates. */
  bounds(): { lower: Float64Array; upper: Float64Array } {
    const d = this.dim;
    const lower = new Float64Array(d + 2).fill(LOG_ISL_BOUNDS[0]);
    const upper = new Float64Array(d + 2).fill(LOG_ISL_BOUNDS[1]);
    lower[d] = LOG_SCALE_BOUNDS[0];
    upper[d] = LOG_SCALE_BOUNDS[1];
    lower[d + 1] = Math.log(0.01 * this.minimumNoise);
    upper[d + 1] = RAW_NOISE_UPPER;
    return { lower, upper };
  }

  /**
   * The loss at theta, its gradient into `grad`. Throws NotPositiveDefiniteError when even a
   * jittered C cannot be factorised (the caller restarts from default parameters).
   */
  evaluate(theta: Float64Array, grad: Float64Array): number {
    const { n, y } = this.data;
    const d = this.dim;
    const isl = this.isl;
    for (let i = 0; i < d; i++) isl[i] = Math.exp(theta[i]!);
    const scale = Math.exp(theta[d]!);
    const rawNoise = this.deterministic ? 0 : Math.exp(theta[d + 1]!);
    const noise = this.minimumNoise + rawNoise;

    // C, from the per-pair distances; the kernel values and derivatives are kept for the traces.
    const { c, l, alpha, d2, pairKernel, pairDerivative } = this;
    let p = 0;
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      for (let j = 0; j < i; j++, p++) {
        let r2 = 0;
        const base = p * d;
        for (let k = 0; k < d; k++) r2 += isl[k]! * d2[base + k]!;
        const kv = scale * matern52(r2);
        pairKernel[p] = kv;
        pairDerivative[p] = scale * matern52Derivative(r2);
        c[ri + j] = kv;
      }
      c[ri + i] = scale + noise;
    }
    cholesky(c, n, l);
    let logDet = 0;
    for (let i = 0; i < n; i++) logDet += Math.log(l[i * n + i]!);
    alpha.set(y);
    solveLowerInPlace(l, n, alpha);
    let quad = 0;
    for (let i = 0; i < n; i++) quad += alpha[i]! * alpha[i]!;
    solveLowerTransposeInPlace(l, n, alpha);
    const logLikelihood = -0.5 * quad - logDet - 0.5 * n * Math.log(2 * Math.PI);

    // W = alpha alpha^T - C^-1, with C^-1 = U U^T for U = L^-T (written over c), entry by entry.
    invertLowerTransposed(l, n, c);
    const u = c;

    const gradLogIsl = this.gradLogIsl;
    gradLogIsl.fill(0);
    let gradScale = 0;
    let trace = 0;
    p = 0;
    for (let i = 0; i < n; i++) {
      const ai = alpha[i]!;
      const wii = ai * ai - inverseEntryFromUpper(u, n, i, i);
      trace += wii;
      gradScale += 0.5 * wii * scale;
      for (let j = 0; j < i; j++, p++) {
        const wij = ai * alpha[j]! - inverseEntryFromUpper(u, n, i, j);
        // The pair (i, j) and (j, i): 1/2 * 2.
        gradScale += wij * pairKernel[p]!;
        const g = wij * pairDerivative[p]!;
        if (g === 0) continue;
        const base = p * d;
        for (let k = 0; k < d; k++) gradLogIsl[k]! += g * d2[base + k]!;
      }
    }
    for (let k = 0; k < d; k++) gradLogIsl[k]! *= isl[k]!;
    const gradRawNoise = 0.5 * trace * rawNoise;

    // The prior, with the chain rule onto the log coordinates.
    const [logPrior, dPriorScale, dPriorNoise] = defaultLogPrior(isl, scale, noise, gradLogIsl);
    for (let k = 0; k < d; k++) grad[k] = -gradLogIsl[k]!;
    grad[d] = -(gradScale + dPriorScale * scale);
    grad[d + 1] = this.deterministic ? 0 : -(gradRawNoise + dPriorNoise * rawNoise);
    return -(logLikelihood + logPrior);
  }
}

/**
 * The fit's tolerance on the projected gradient: Optuna's 1e-2 up to 100 points, then growing
 * with n. The loss is a sum over the n points, so its gradient grows with n and a fixed absolute
 * tolerance asks for ever more relative precision, at O(n^3) per evaluation; the lengthscales
 * such precision still moves are far below what changes the acquisition's optimum.
 */
export function fitTolerance(n: number): number {
  return 1e-2 * Math.max(1, n / 100);
}

/** Where a fit starts when nothing better is known: every parameter 1, as Optuna. */
export function defaultKernelParams(dim: number): KernelParams {
  return { inverseSquaredLengthscales: new Float64Array(dim).fill(1), kernelScale: 1, noiseVar: 1 };
}

/**
 * The kernel parameters that maximise the marginal likelihood plus the prior, by L-BFGS-B on the
 * raw coordinates from `initial` (the previous trial's fit, usually a few steps from the new
 * optimum), then from the defaults if that fails; the defaults themselves if both fail.
 */
export function fitKernelParams(data: TrainingData, options: FitOptions, initial: KernelParams | null): KernelParams {
  const objective = new NegativeLogPosterior(data, options);
  const { lower, upper } = objective.bounds();
  const starts = initial === null ? [defaultKernelParams(data.dim)] : [initial, defaultKernelParams(data.dim)];
  for (const start of starts) {
    try {
      const result = minimizeLbfgsb((theta, grad) => objective.evaluate(theta, grad), objective.rawOf(start), {
        lower,
        upper,
        pgtol: fitTolerance(data.n),
        maxIterations: 200,
      });
      if (Number.isFinite(result.f)) return objective.paramsAt(result.x);
    } catch (error) {
      if (!(error instanceof NotPositiveDefiniteError)) throw error;
    }
  }
  return defaultKernelParams(data.dim);
}
