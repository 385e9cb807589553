import { minimizeLbfgsb } from "../../numerics/lbfgsb.js";
import { scrambledHalton } from "../../numerics/scrambled-halton.js";
import type { Rng } from "../../rng.js";
import type { AcquisitionFunction } from "./acquisition.js";
import type { GPSearchSpace } from "./search-space.js";

/** How hard the acquisition function is maximised (Optuna's defaults). */
export interface AcquisitionOptimizerOptions {
  /** Quasi-random points scored before the local searches. @default 2048 */
  readonly nPreliminarySamples: number;
  /** Local searches: from the best point, the warm starts and roulette picks. @default 10 */
  readonly nLocalSearch: number;
  /** The local search's tolerance on the acquisition value. @default 1e-4 */
  readonly tol: number;
}

/** Grid sizes up to which a discrete parameter is searched exhaustively (Optuna's). */
const MAX_EXHAUSTIVE_GRID = 16;
/** Rounds of coordinate-wise search at most, per local search. */
const MAX_LOCAL_ROUNDS = 100;

/**
 * The point that maximises the acquisition function, as Optuna's `optimize_acqf_mixed`: score
 * `nPreliminarySamples` scrambled-Halton points (discrete coordinates rounded onto their grids),
 * then run local searches from the best of them, from each warm start (the best trial so far),
 * and from points drawn by a roulette on exp(acquisition), and return the best point found.
 */
export function optimizeAcquisition(
  acqf: AcquisitionFunction,
  space: GPSearchSpace,
  rng: Rng,
  warmStarts: readonly Float64Array[],
  options: AcquisitionOptimizerOptions,
  /** The objective GP's lengthscales of the continuous coordinates, for preconditioning. */
  lengthscales?: Float64Array,
): { x: Float64Array; value: number } {
  const dim = space.size;
  const count = options.nPreliminarySamples;
  const samples = scrambledHalton(count, dim, rng);
  for (let i = 0; i < count; i++) for (const d of space.discreteIndices) samples[i * dim + d] = space.roundOne(d, samples[i * dim + d]!);
  const values = new Float64Array(count);
  acqf.evaluateBatch(samples, count, values);
  let best = 0;
  for (let i = 1; i < count; i++) if (values[i]! > values[best]! || Number.isNaN(values[best]!)) best = i;

  const starts: Float64Array[] = [samples.slice(best * dim, best * dim + dim)];
  for (const w of warmStarts) if (starts.length < options.nLocalSearch) starts.push(Float64Array.from(w));
  for (const i of roulette(values, best, options.nLocalSearch - starts.length, rng)) starts.push(samples.slice(i * dim, i * dim + dim));

  let bestX = starts[0]!;
  let bestValue = values[best]!;
  const search = new LocalSearch(acqf, space, options.tol, lengthscales);
  for (const start of starts) {
    const { x, value } = search.run(start);
    if (value > bestValue || Number.isNaN(bestValue)) {
      bestX = x;
      bestValue = value;
    }
  }
  return { x: bestX, value: bestValue };
}

/**
 * Up to `wanted` distinct indices other than `best`, drawn without replacement with weights
 * exp(value - max): promising points away from the best, so the local searches do not all climb
 * the same hill. Points whose weight underflows to 0 are never drawn (Optuna's "study already
 * converged" case: fewer local searches then).
 */
function roulette(values: Float64Array, best: number, wanted: number, rng: Rng): number[] {
  if (wanted <= 0) return [];
  const max = values[best]!;
  const weights = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const w = i === best || !Number.isFinite(values[i]!) ? 0 : Math.exp(values[i]! - max);
    weights[i] = w;
    total += w;
  }
  const chosen: number[] = [];
  while (chosen.length < wanted && total > 0) {
    let r = rng.random() * total;
    let pick = -1;
    for (let i = 0; i < weights.length; i++) {
      if (weights[i] === 0) continue;
      r -= weights[i]!;
      pick = i;
      if (r < 0) break;
    }
    if (pick < 0) break;
    chosen.push(pick);
    total -= weights[pick]!;
    weights[pick] = 0;
  }
  return chosen;
}

/**
 * One local search (Optuna's `local_search_mixed`): alternate L-BFGS-B over the continuous
 * coordinates with a search over each discrete coordinate in turn (the other coordinates fixed),
 * until a whole round changes nothing. Discrete coordinates are searched on their grid, not by
 * rounding a continuous optimum: EI often peaks between grid points, and rounding then loses it.
 */
class LocalSearch {
  private readonly dim: number;
  private readonly grad: Float64Array;
  private readonly point: Float64Array;
  /** The continuous coordinates' lengthscales, for preconditioning. */
  private readonly lengthscales: Float64Array;
  private readonly upper: Float64Array;

  constructor(
    private readonly acqf: AcquisitionFunction,
    private readonly space: GPSearchSpace,
    private readonly tol: number,
    lengthscales?: Float64Array,
  ) {
    this.dim = space.size;
    this.grad = new Float64Array(this.dim);
    this.point = new Float64Array(this.dim);
    const nc = space.continuousIndices.length;
    this.lengthscales = lengthscales ?? new Float64Array(nc).fill(1);
    this.upper = Float64Array.from(this.lengthscales, (l) => 1 / l);
  }

  run(start: Float64Array): { x: Float64Array; value: number } {
    const x = Float64Array.from(start);
    let value = this.acqf.evaluate(x, 0);
    const CONTINUOUS = -1;
    let lastChanged: number | null = null;
    for (let round = 0; round < MAX_LOCAL_ROUNDS; round++) {
      if (lastChanged === CONTINUOUS) break;
      const improved = this.gradientAscent(x, value);
      if (improved !== null) {
        value = improved;
        lastChanged = CONTINUOUS;
      }
      let stop = false;
      for (const d of this.space.discreteIndices) {
        if (lastChanged === d) {
          stop = true;
          break;
        }
        const better = this.discreteSearch(x, value, d);
        if (better !== null) {
          value = better;
          lastChanged = d;
        }
      }
      if (stop || lastChanged === null) break;
    }
    return { x, value };
  }

  /**
   * L-BFGS-B over the continuous coordinates, in units of their lengthscales: the acquisition
   * varies on the scale x / lengthscale, so this makes its Hessian closer to isotropic (Optuna's
   * preconditioning). Updates x and returns the new value when it improved, else null.
   */
  private gradientAscent(x: Float64Array, value: number): number | null {
    const indices = this.space.continuousIndices;
    const nc = indices.length;
    if (nc === 0) return null;
    const { point, grad, lengthscales } = this;
    const z0 = new Float64Array(nc);
    for (let i = 0; i < nc; i++) z0[i] = x[indices[i]!]! / lengthscales[i]!;
    point.set(x);
    const result = minimizeLbfgsb(
      (z, g) => {
        for (let i = 0; i < nc; i++) point[indices[i]!] = z[i]! * lengthscales[i]!;
        const f = this.acqf.evaluateWithGradient(point, grad);
        for (let i = 0; i < nc; i++) g[i] = -grad[indices[i]!]! * lengthscales[i]!;
        return -f;
      },
      z0,
      { lower: new Float64Array(nc), upper: this.upper, pgtol: Math.sqrt(this.tol), maxIterations: 200 },
    );
    if (!(-result.f > value) || result.iterations === 0) return null;
    for (let i = 0; i < nc; i++) x[indices[i]!] = Math.min(Math.max(result.x[i]! * lengthscales[i]!, 0), 1);
    return -result.f;
  }

  /**
   * The best grid point of coordinate d with the others fixed: every choice for categorical and
   * small grids; for larger grids the points at 1, 2, 4, ... steps either side (a doubling line
   * search, so distant improvements are found in O(log count) evaluations), repeated from the
   * new point while it improves. Updates x and returns the new value when it improved.
   */
  private discreteSearch(x: Float64Array, value: number, d: number): number | null {
    const dimInfo = this.space.dims[d]!;
    const count = dimInfo.kind === "continuous" ? 0 : dimInfo.count;
    if (count <= 1) return null;
    const original = x[d]!;
    let bestValue = value;
    let bestCoordinate = original;
    const tryCoordinate = (c: number): void => {
      if (c === bestCoordinate) return;
      x[d] = c;
      const f = this.acqf.evaluate(x, 0);
      if (f > bestValue) {
        bestValue = f;
        bestCoordinate = c;
      }
    };
    if (dimInfo.kind === "categorical") {
      for (let k = 0; k < count; k++) tryCoordinate(k);
    } else if (count <= MAX_EXHAUSTIVE_GRID) {
      for (let k = 0; k < count; k++) tryCoordinate(this.space.gridPoint(d, k));
    } else {
      for (let moves = 0; moves < 64; moves++) {
        const centre = this.space.gridIndex(d, bestCoordinate);
        const before = bestCoordinate;
        for (let offset = 1; offset < count; offset *= 2) {
          if (centre - offset >= 0) tryCoordinate(this.space.gridPoint(d, centre - offset));
          if (centre + offset < count) tryCoordinate(this.space.gridPoint(d, centre + offset));
        }
        if (bestCoordinate === before) break;
      }
    }
    x[d] = bestCoordinate;
    return bestCoordinate !== original && bestValue > value ? bestValue : null;
  }
}
