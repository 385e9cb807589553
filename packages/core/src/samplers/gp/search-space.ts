import type { Distribution, ParamValue } from "../../distributions.js";
import { roundToStep } from "../random-sampler.js";
import type { SearchSpace } from "../sampler.js";

/**
 * One parameter as the GP sees it (Optuna's `_gp/search_space.py`). Numeric parameters are
 * scaled to [0, 1]: linearly, or in log space for log ranges; a grid (int, or float with a step)
 * first widens its range by half a step on each side, so every grid point owns a cell of equal
 * width (of equal log-width for log ints) and rounding inside [0, 1] lands on a grid point.
 * Categorical parameters keep their choice index; the kernel compares them by equality.
 */
export type GPDimension = ContinuousGPDimension | DiscreteGPDimension | CategoricalGPDimension;

/** A float without a step: optimised by gradient steps. */
export interface ContinuousGPDimension {
  readonly kind: "continuous";
  readonly name: string;
  readonly distribution: Distribution & { kind: "float" };
  /** The scaled range's ends in the (log) value space. */
  readonly low: number;
  readonly high: number;
}

/** An int, or a float with a step: optimised over its grid points. */
export interface DiscreteGPDimension {
  readonly kind: "discrete";
  readonly name: string;
  readonly distribution: Distribution & { kind: "float" | "int" };
  readonly low: number;
  readonly high: number;
  readonly step: number;
  /** How many grid points the range holds. */
  readonly count: number;
}

/** Choices, by index. */
export interface CategoricalGPDimension {
  readonly kind: "categorical";
  readonly name: string;
  readonly distribution: Distribution & { kind: "categorical" };
  readonly count: number;
}

/** The relative search space in the GP's coordinates, parameter by parameter in name order. */
export class GPSearchSpace {
  readonly dims: readonly GPDimension[];
  /** 1 where the parameter is categorical (Hamming distance in the kernel). */
  readonly isCategorical: Uint8Array;
  readonly continuousIndices: Int32Array;
  readonly discreteIndices: Int32Array;

  constructor(space: SearchSpace) {
    this.dims = Object.keys(space).map((name) => toGPDimension(name, space[name] as Distribution));
    this.isCategorical = Uint8Array.from(this.dims, (d) => (d.kind === "categorical" ? 1 : 0));
    this.continuousIndices = Int32Array.from(indicesOf(this.dims, (d) => d.kind === "continuous"));
    this.discreteIndices = Int32Array.from(indicesOf(this.dims, (d) => d.kind !== "continuous"));
  }

  get size(): number {
    return this.dims.length;
  }

  /** A parameter value in the GP's coordinates. */
  normalize(index: number, value: ParamValue): number {
    const dim = this.dims[index] as GPDimension;
    if (dim.kind === "categorical") return dim.distribution.choices.indexOf(value as never);
    const v = dim.distribution.log ? Math.log(value as number) : (value as number);
    return dim.high === dim.low ? 0.5 : (v - dim.low) / (dim.high - dim.low);
  }

  /** Writes a trial's parameters, scaled, into `out` from `offset`. */
  normalizeParams(params: Readonly<Record<string, ParamValue>>, out: Float64Array, offset: number): void {
    for (let i = 0; i < this.dims.length; i++) out[offset + i] = this.normalize(i, params[(this.dims[i] as GPDimension).name] as ParamValue);
  }

  /** Moves the scaled value of a discrete dimension to its grid point's (cell centre's) scaled value. */
  roundOne(index: number, x: number): number {
    const dim = this.dims[index] as GPDimension;
    if (dim.kind === "continuous") return x;
    if (dim.kind === "categorical") return Math.min(Math.max(Math.floor(x), 0), dim.count - 1);
    return this.gridPoint(index, this.gridIndex(index, x));
  }

  /** The grid index (0 ... count - 1) of the cell that a scaled value of a discrete dimension falls in. */
  gridIndex(index: number, x: number): number {
    const dim = this.dims[index] as DiscreteGPDimension;
    const v = unscale(dim, x);
    const k = Math.floor((v - dim.distribution.low + 0.5 * dim.step) / dim.step);
    return Math.min(Math.max(k, 0), dim.count - 1);
  }

  /** The scaled value of grid point k of a discrete dimension. */
  gridPoint(index: number, k: number): number {
    const dim = this.dims[index] as DiscreteGPDimension;
    const v = dim.distribution.low + k * dim.step;
    const t = dim.distribution.log ? Math.log(v) : v;
    return dim.high === dim.low ? 0.5 : (t - dim.low) / (dim.high - dim.low);
  }

  /** The parameter values of a point in the GP's coordinates, each inside its distribution. */
  unnormalize(x: ArrayLike<number>): Record<string, ParamValue> {
    const params: Record<string, ParamValue> = {};
    for (let i = 0; i < this.dims.length; i++) {
      const dim = this.dims[i] as GPDimension;
      if (dim.kind === "categorical") {
        params[dim.name] = dim.distribution.choices[this.roundOne(i, x[i]!)] ?? null;
        continue;
      }
      const d = dim.distribution;
      if (dim.kind === "continuous") {
        params[dim.name] = Math.min(Math.max(unscale(dim, x[i]!), d.low), d.high);
        continue;
      }
      const v = d.low + this.gridIndex(i, x[i]!) * dim.step;
      params[dim.name] = d.kind === "int" ? Math.round(v) : Math.min(roundToStep(v, dim.step), d.high);
    }
    return params;
  }
}

function toGPDimension(name: string, d: Distribution): GPDimension {
  if (d.kind === "categorical") return { kind: "categorical", name, distribution: d, count: d.choices.length };
  if (d.kind === "float" && d.step === null) {
    return d.log
      ? { kind: "continuous", name, distribution: d, low: Math.log(d.low), high: Math.log(d.high) }
      : { kind: "continuous", name, distribution: d, low: d.low, high: d.high };
  }
  const step = d.step as number;
  const count = Math.round((d.high - d.low) / step) + 1;
  const lo = d.low - 0.5 * step;
  const hi = d.high + 0.5 * step;
  return d.log
    ? { kind: "discrete", name, distribution: d, low: Math.log(lo), high: Math.log(hi), step, count }
    : { kind: "discrete", name, distribution: d, low: lo, high: hi, step, count };
}

/** The (log) value of a scaled numeric coordinate, then the value itself. */
function unscale(dim: ContinuousGPDimension | DiscreteGPDimension, x: number): number {
  const t = dim.low + x * (dim.high - dim.low);
  return dim.distribution.log ? Math.exp(t) : t;
}

function indicesOf(dims: readonly GPDimension[], test: (d: GPDimension) => boolean): number[] {
  const out: number[] = [];
  dims.forEach((d, i) => {
    if (test(d)) out.push(i);
  });
  return out;
}
