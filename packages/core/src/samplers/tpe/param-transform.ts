import type {
  CategoricalDistribution,
  Distribution,
  FloatDistribution,
  IntDistribution,
  ParamValue,
} from "../../distributions.js";
import { roundToStep } from "../random-sampler.js";

/**
 * One parameter as the Parzen estimator sees it. Numeric parameters live in a transformed space:
 * the log of the value for log ranges, the value itself otherwise. `low`/`high` are the kernel's
 * truncation bounds there; for a discrete parameter they are widened by half a cell on each
 * side, so the first and last grid points get whole cells.
 */
export type Dimension = ContinuousDimension | DiscreteDimension | CategoricalDimension;

/** A float range without a step: a truncated-normal density. */
export interface ContinuousDimension {
  readonly kind: "continuous";
  readonly distribution: FloatDistribution;
  readonly low: number;
  readonly high: number;
}

/**
 * A grid (float with step, or int): the probability mass of each grid point's cell. On a log int
 * range the cells are [log(v - 1/2), log(v + 1/2)], so they shrink as v grows, as the values do.
 */
export interface DiscreteDimension {
  readonly kind: "discrete";
  readonly distribution: FloatDistribution | IntDistribution;
  readonly low: number;
  readonly high: number;
}

/** Choices, by index. */
export interface CategoricalDimension {
  readonly kind: "categorical";
  readonly distribution: CategoricalDistribution;
  readonly nChoices: number;
}

/** The estimator's view of a distribution. */
export function toDimension(d: Distribution): Dimension {
  if (d.kind === "categorical") return { kind: "categorical", distribution: d, nChoices: d.choices.length };
  if (d.kind === "float" && d.step === null) {
    return d.log
      ? { kind: "continuous", distribution: d, low: Math.log(d.low), high: Math.log(d.high) }
      : { kind: "continuous", distribution: d, low: d.low, high: d.high };
  }
  if (d.log) return { kind: "discrete", distribution: d, low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5) };
  const half = (d.step as number) / 2;
  return { kind: "discrete", distribution: d, low: d.low - half, high: d.high + half };
}

/** The transformed value of an observed parameter value, or NaN when it is outside the range. */
export function transformValue(dim: Dimension, value: ParamValue): number {
  if (dim.kind === "categorical") {
    const i = dim.distribution.choices.indexOf(value as never);
    return i < 0 ? Number.NaN : i;
  }
  const d = dim.distribution;
  if (typeof value !== "number" || !(value >= d.low && value <= d.high)) return Number.NaN;
  return d.log ? Math.log(value) : value;
}

/**
 * A raw draw from a kernel, moved onto the parameter's set of values: clipped into the range,
 * and for a grid rounded to the nearest grid point. Returns the transformed value.
 */
export function snapToGrid(dim: Dimension, x: number): number {
  if (dim.kind === "categorical") return x;
  if (dim.kind === "continuous") return Math.min(Math.max(x, dim.low), dim.high);
  const d = dim.distribution;
  if (d.log) return Math.log(Math.min(Math.max(Math.round(Math.exp(x)), d.low), d.high));
  const step = d.step as number;
  const v = d.low + Math.round((x - d.low) / step) * step;
  const clipped = Math.min(Math.max(v, d.low), d.high);
  return d.kind === "int" ? clipped : Math.min(roundToStep(clipped, step), d.high);
}

/** The user-facing value of a transformed (snapped) value. */
export function untransform(dim: Dimension, t: number): ParamValue {
  if (dim.kind === "categorical") return dim.distribution.choices[t] ?? null;
  const d = dim.distribution;
  if (dim.kind === "discrete" && d.log) return Math.round(Math.exp(t));
  const v = d.log ? Math.exp(t) : t;
  return Math.min(Math.max(v, d.low), d.high);
}

/** The lower edge of the cell of a grid point `t` (transformed), for discrete dimensions. */
export function cellLow(dim: DiscreteDimension, t: number): number {
  const d = dim.distribution;
  return d.log ? Math.log(Math.round(Math.exp(t)) - 0.5) : t - (d.step as number) / 2;
}

/** The upper edge of the cell of a grid point `t` (transformed), for discrete dimensions. */
export function cellHigh(dim: DiscreteDimension, t: number): number {
  const d = dim.distribution;
  return d.log ? Math.log(Math.round(Math.exp(t)) + 0.5) : t + (d.step as number) / 2;
}

/**
 * The transformed value of a stored internal value (the number itself, or a choice index), or
 * NaN when it is outside the range this dimension covers now.
 */
export function transformInternal(dim: Dimension, v: number): number {
  if (dim.kind === "categorical") return v < dim.nChoices ? v : Number.NaN;
  const d = dim.distribution;
  if (!(v >= d.low && v <= d.high)) return Number.NaN;
  return d.log ? Math.log(v) : v;
}
