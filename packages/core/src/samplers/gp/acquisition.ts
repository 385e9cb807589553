import { logNormalCdf, logNormalCdfDerivative, standardLogEI } from "../../numerics/special-functions.js";
import type { GPRegressor } from "./gp-regressor.js";

/**
 * An acquisition function over the scaled search space, to be maximised. `evaluateWithGradient`
 * gives the gradient in every coordinate (categorical ones are 0 and left to discrete search).
 */
export interface AcquisitionFunction {
  readonly dim: number;
  evaluate(x: Float64Array, offset: number): number;
  evaluateWithGradient(x: Float64Array, grad: Float64Array): number;
  /** The values at `count` points (row-major in xs) into out: the preliminary scoring. */
  evaluateBatch(xs: Float64Array, count: number, out: Float64Array): void;
}

/** Batch scoring of one GP's posterior: means and variances in blocks, then a pointwise map. */
function batchOf(gpr: GPRegressor, xs: Float64Array, count: number, out: Float64Array, map: (mean: number, variance: number) => number): void {
  const means = new Float64Array(count);
  const variances = new Float64Array(count);
  gpr.posteriorBatch(xs, count, means, variances);
  for (let i = 0; i < count; i++) out[i] = map(means[i]!, variances[i]! + STABILIZING_NOISE);
}

/**
 * Optuna's stabilising variance added to the posterior's before taking its root: where the GP
 * interpolates a point exactly the variance is 0 and log EI would be log 0.
 */
const STABILIZING_NOISE = 1e-12;

/**
 * What LogEI and LogFeasibility share: one GP's posterior at a point, in one or in a batch, mapped
 * by `score(mean, variance)` (the variance with the stabilising noise added).
 */
abstract class PosteriorAcquisition implements AcquisitionFunction {
  readonly dim: number;
  protected readonly moments = new Float64Array(2);
  protected readonly gradMean: Float64Array;
  protected readonly gradVar: Float64Array;

  constructor(
    protected readonly gpr: GPRegressor,
    protected readonly threshold: number,
  ) {
    this.dim = gpr.data.dim;
    this.gradMean = new Float64Array(this.dim);
    this.gradVar = new Float64Array(this.dim);
  }

  protected abstract score(mean: number, variance: number): number;

  evaluate(x: Float64Array, offset: number): number {
    this.gpr.posterior(x, offset, this.moments);
    return this.score(this.moments[0]!, this.moments[1]! + STABILIZING_NOISE);
  }

  evaluateBatch(xs: Float64Array, count: number, out: Float64Array): void {
    batchOf(this.gpr, xs, count, out, (mean, variance) => this.score(mean, variance));
  }

  abstract evaluateWithGradient(x: Float64Array, grad: Float64Array): number;
}

/**
 * log EI(x) = log E[max(0, f(x) - f0)] for the posterior f(x) ~ N(mean, var) (Optuna's `logei`):
 * log sigma + h((mean - f0) / sigma) with h the standard log EI, so it stays finite and keeps a
 * useful gradient far from the data, where EI itself underflows to 0. Its threshold is the
 * incumbent: the best standardized value so far.
 */
export class LogEI extends PosteriorAcquisition {
  private readonly dh = new Float64Array(1);

  protected score(mean: number, variance: number): number {
    return logEI(mean, variance, this.threshold);
  }

  evaluateWithGradient(x: Float64Array, grad: Float64Array): number {
    this.gpr.posteriorWithGradient(x, this.moments, this.gradMean, this.gradVar);
    const mean = this.moments[0]!;
    const variance = this.moments[1]! + STABILIZING_NOISE;
    const sigma = Math.sqrt(variance);
    const z = (mean - this.threshold) / sigma;
    const value = Math.log(sigma) + standardLogEI(z, this.dh);
    const h = this.dh[0]!;
    // d/dmean = h'(z) / sigma; d/dvar = 1 / (2 var) - h'(z) z / (2 var).
    const dMean = h / sigma;
    const dVar = (1 - h * z) / (2 * variance);
    for (let d = 0; d < this.dim; d++) grad[d] = dMean * this.gradMean[d]! + dVar * this.gradVar[d]!;
    return value;
  }
}

/** log EI of N(mean, variance) over the threshold f0. */
export function logEI(mean: number, variance: number, threshold: number): number {
  const sigma = Math.sqrt(variance);
  return Math.log(sigma) + standardLogEI((mean - threshold) / sigma);
}

/**
 * log P(c(x) is feasible) for one constraint, modelled by its own GP on the sign-flipped,
 * standardized constraint values: feasible means the GP's value is at least `threshold` (the
 * standardized image of c = 0), so the term is log Phi((mean - threshold) / sigma).
 */
export class LogFeasibility extends PosteriorAcquisition {
  protected score(mean: number, variance: number): number {
    return logNormalCdf((mean - this.threshold) / Math.sqrt(variance));
  }

  evaluateWithGradient(x: Float64Array, grad: Float64Array): number {
    this.gpr.posteriorWithGradient(x, this.moments, this.gradMean, this.gradVar);
    const variance = this.moments[1]! + STABILIZING_NOISE;
    const sigma = Math.sqrt(variance);
    const z = (this.moments[0]! - this.threshold) / sigma;
    const r = logNormalCdfDerivative(z);
    const dMean = r / sigma;
    const dVar = (-r * z) / (2 * variance);
    for (let d = 0; d < this.dim; d++) grad[d] = dMean * this.gradMean[d]! + dVar * this.gradVar[d]!;
    return logNormalCdf(z);
  }
}

/**
 * Constrained log EI (Gardner et al. 2014, as Optuna 4.x): log EI of the objective plus the log
 * probability that every constraint holds, the constraints taken as independent, i.e. the log of
 * EI times the product of the feasibility probabilities. Before any feasible trial there is no
 * incumbent, and the objective term is left out: the search looks for feasibility first.
 */
export class ConstrainedLogEI implements AcquisitionFunction {
  readonly dim: number;
  private readonly scratch: Float64Array;

  constructor(
    private readonly objective: LogEI | null,
    private readonly constraints: readonly LogFeasibility[],
  ) {
    this.dim = (objective ?? constraints[0]!).dim;
    this.scratch = new Float64Array(this.dim);
  }

  evaluate(x: Float64Array, offset: number): number {
    let value = this.objective === null ? 0 : this.objective.evaluate(x, offset);
    for (const c of this.constraints) value += c.evaluate(x, offset);
    return value;
  }

  evaluateBatch(xs: Float64Array, count: number, out: Float64Array): void {
    const part = new Float64Array(count);
    out.fill(0, 0, count);
    const parts: readonly AcquisitionFunction[] = this.objective === null ? this.constraints : [this.objective, ...this.constraints];
    for (const p of parts) {
      p.evaluateBatch(xs, count, part);
      for (let i = 0; i < count; i++) out[i]! += part[i]!;
    }
  }

  evaluateWithGradient(x: Float64Array, grad: Float64Array): number {
    let value = 0;
    grad.fill(0);
    const parts: readonly AcquisitionFunction[] = this.objective === null ? this.constraints : [this.objective, ...this.constraints];
    for (const part of parts) {
      value += part.evaluateWithGradient(x, this.scratch);
      for (let d = 0; d < this.dim; d++) grad[d]! += this.scratch[d]!;
    }
    return value;
  }
}
