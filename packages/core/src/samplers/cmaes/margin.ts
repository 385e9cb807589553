/**
 * CMA-ES with margin (Hamano et al., GECCO 2022): on a grid parameter, once sigma shrinks below a
 * cell the distribution would put all its mass on one grid point and the parameter would stick
 * there for good. After each update the margin keeps at least `margin` probability (half on each
 * side) outside the cell the mean is in, by moving the mean of that coordinate and scaling the
 * coordinate's spread by a factor A; samples are then encoded as m + A (x - m).
 */
import { normalCdf, normalQuantile } from "../tpe/truncated-normal.js";
import type { CmaState } from "./cma.js";
import { cellEdge, cellOf, type UnitDimension } from "./unit-cube.js";

/** The grid parameters' coordinates and the per-coordinate scale A (1 where no margin is in force). */
export interface MarginState {
  readonly margin: number;
  /** Indices of the grid dimensions. */
  readonly discrete: readonly number[];
  readonly scale: number[];
}

export function createMargin(dims: readonly UnitDimension[], popsize: number): MarginState {
  return {
    // The paper's default: 1 / (n * lambda).
    margin: 1 / (dims.length * popsize),
    discrete: dims.flatMap((d, i) => (d.cells > 0 ? [i] : [])),
    scale: dims.map(() => 1),
  };
}

/** The unit value a raw draw encodes to on a grid coordinate (before rounding to the point). */
export function encodeWithMargin(state: CmaState, margin: MarginState, x: readonly number[]): number[] {
  const out = [...x];
  for (const i of margin.discrete) out[i] = state.mean[i]! + margin.scale[i]! * (x[i]! - state.mean[i]!);
  return out;
}

/** sqrt of chi-square(1)'s quantile q: the normal quantile of (1 + q) / 2. */
function sqrtChi2Ppf(q: number): number {
  return normalQuantile((1 + q) / 2);
}

/** The margin correction, applied after `tellGeneration` (mean and A change; sigma and C do not). */
export function correctMargin(state: CmaState, margin: MarginState, dims: readonly UnitDimension[]): void {
  const a = margin.margin;
  const diag = state.constants.separable ? state.cov[0]! : state.cov.map((row, i) => row[i]!);
  for (const i of margin.discrete) {
    const dim = dims[i]!;
    const m = state.mean[i]!;
    // The edges around the cell the mean falls in (both the same edge at either end of the grid).
    const cell = cellOf(dim, m);
    const low = cellEdge(dim, Math.min(Math.max(cell, 1), dim.cells - 1));
    const up = cellEdge(dim, Math.min(Math.max(cell + 1, 1), dim.cells - 1));
    const sd = Math.sqrt(diag[i]!);
    const scale = state.sigma * margin.scale[i]! * sd;
    let lowCdf = normalCdf((low - m) / scale);
    let upCdf = 1 - normalCdf((up - m) / scale);
    const midCdf = 1 - (lowCdf + upCdf);
    const atEnd = Math.max(lowCdf, upCdf) > 0.5;
    if (atEnd) {
      // The mean is in an end cell: keep margin / 2 on the far side of the one edge by moving it.
      if (Math.min(lowCdf, upCdf) < a) {
        const dist = state.sigma * margin.scale[i]! * sqrtChi2Ppf(1 - 2 * a) * sd;
        state.mean[i] = up + Math.sign(m - up) * dist;
      }
    }
    lowCdf = Math.max(lowCdf, a / 2);
    upCdf = Math.max(upCdf, a / 2);
    const spill = 1 - lowCdf - upCdf - midCdf;
    const denom = lowCdf + midCdf + upCdf - (3 * a) / 2;
    const low2 = Math.min(Math.max(lowCdf + (spill * (lowCdf - a / 2)) / denom, 1e-10), 0.5 - 1e-10);
    const up2 = Math.min(Math.max(upCdf + (spill * (upCdf - a / 2)) / denom, 1e-10), 0.5 - 1e-10);
    if (!atEnd) {
      // The mean is inside the grid: solve for the mean and A that put low2 below and up2 above the cell.
      const chiLow = sqrtChi2Ppf(1 - 2 * low2);
      const chiUp = sqrtChi2Ppf(1 - 2 * up2);
      margin.scale[i] = (up - low) / ((chiLow + chiUp) * state.sigma * sd);
      state.mean[i] = (low * chiUp + up * chiLow) / (chiLow + chiUp);
    }
  }
}
