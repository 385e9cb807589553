/**
 * How CMA-ES sees the search space: every numeric parameter mapped onto [0, 1] (in log space for
 * log ranges), so one sigma fits all dimensions and sigma0 reads as a fraction of each range. A
 * grid parameter (int, or float with step) is split into equal cells, one per grid point, whose
 * edges are where a continuous value changes the point it rounds to; CMA-ES with margin works on
 * those edges.
 */
import type { Distribution, FloatDistribution, IntDistribution, ParamValue } from "../../distributions.js";
import { roundToStep } from "../random-sampler.js";

/** One parameter of the joint space on the unit interval. */
export interface UnitDimension {
  readonly name: string;
  readonly distribution: FloatDistribution | IntDistribution;
  /** The transformed range mapped onto [0, 1] (log values for log ranges, grid cells widened by half a step). */
  readonly low: number;
  readonly high: number;
  /** Grid points (1 + cell edges) for a grid parameter; 0 for a continuous one. */
  readonly cells: number;
}

/** The numeric distributions of a space, in the space's (sorted) order. */
export function unitDimensions(space: Readonly<Record<string, Distribution>>): UnitDimension[] {
  const dims: UnitDimension[] = [];
  for (const [name, d] of Object.entries(space)) {
    if (d.kind === "categorical") continue;
    if (d.kind === "float" && d.step === null) {
      dims.push({ name, distribution: d, low: d.log ? Math.log(d.low) : d.low, high: d.log ? Math.log(d.high) : d.high, cells: 0 });
    } else if (d.log) {
      // Log int: the cell of v is [log(v - 1/2), log(v + 1/2)], as rounding exp(t) gives.
      dims.push({ name, distribution: d, low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5), cells: d.high - d.low + 1 });
    } else {
      const step = d.step as number;
      dims.push({ name, distribution: d, low: d.low - step / 2, high: d.high + step / 2, cells: Math.round((d.high - d.low) / step) + 1 });
    }
  }
  return dims;
}

/** A parameter value on [0, 1], or NaN when it is not a number inside the range. */
export function toUnit(dim: UnitDimension, value: ParamValue): number {
  const d = dim.distribution;
  if (typeof value !== "number" || !(value >= d.low && value <= d.high)) return Number.NaN;
  const t = d.log ? Math.log(value) : value;
  return (t - dim.low) / (dim.high - dim.low);
}

/** The grid point (0 .. cells - 1) a unit value rounds to; clamped, so any real maps to a point. */
export function cellOf(dim: UnitDimension, u: number): number {
  const d = dim.distribution;
  if (d.log) {
    const v = Math.round(Math.exp(dim.low + Math.min(Math.max(u, 0), 1) * (dim.high - dim.low)));
    return Math.min(Math.max(v - d.low, 0), dim.cells - 1);
  }
  return Math.min(Math.max(Math.floor(u * dim.cells), 0), dim.cells - 1);
}

/** The unit position of the edge between grid points k - 1 and k (1 <= k <= cells - 1). */
export function cellEdge(dim: UnitDimension, k: number): number {
  const d = dim.distribution;
  if (d.log) return (Math.log(d.low + k - 0.5) - dim.low) / (dim.high - dim.low);
  return k / dim.cells;
}

/** The parameter value of a unit value: clipped into the range, and rounded to the grid for a grid parameter. */
export function fromUnit(dim: UnitDimension, u: number): number {
  const d = dim.distribution;
  if (dim.cells > 0) {
    const k = cellOf(dim, u);
    if (d.log) return d.low + k;
    const step = d.step as number;
    const v = d.low + k * step;
    return d.kind === "int" ? v : Math.min(roundToStep(v, step), d.high);
  }
  const t = dim.low + Math.min(Math.max(u, 0), 1) * (dim.high - dim.low);
  return Math.min(Math.max(d.log ? Math.exp(t) : t, d.low), d.high);
}
