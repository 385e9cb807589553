import { isBetter, type Distribution, type FrozenTrial, type StudyView } from "@shoal/core";
import { evenSample, sampleNote } from "../downsample.js";
import { COLOR_SCALE, makeFigure, messageFigure, type PlotlyFigure, type PlotlyTrace } from "../figure.js";
import { axisValue, choiceLabel, paramAxis } from "../param-axis.js";
import {
  completedWithTarget,
  DEFAULT_TARGET_NAME,
  distinctValues,
  paramDistribution,
  reverseScale,
  selectParams,
  targetDirection,
  type TargetedTrial,
  type TargetOptions,
} from "../plot-trials.js";

/** Options of plotContour. */
export interface ContourOptions extends TargetOptions {
  /** Two or more parameters; every parameter with more than one value by default. */
  params?: readonly string[];
  /**
   * Grid points per numeric axis. The objective is averaged over the trials in each grid cell and
   * plotly fills the empty cells (`connectgaps`), so a contour's size does not grow with the
   * number of trials. @default 50
   */
  gridSize?: number;
  /** At most this many trial markers per subplot (evenly spread, the best kept). @default 1000 */
  maxPoints?: number;
}

export const CONTOUR_TITLE = "Contour Plot";

/**
 * The objective over pairs of parameters, as Optuna's `plot_contour`: one contour for two
 * parameters, a matrix of them (one per ordered pair) for more, with the trials as markers.
 * A parameter with a single value cannot span a contour: asked for by name, it gets a message;
 * by default it is skipped, and the subtitle says so.
 */
export function plotContour(study: StudyView, options: ContourOptions = {}): PlotlyFigure {
  const targetName = options.targetName ?? DEFAULT_TARGET_NAME;
  const completed = completedWithTarget(study, options, "plotContour");
  if (completed.length === 0) {
    return messageFigure(CONTOUR_TITLE, `Study "${study.studyName}" has no completed trials yet: nothing to plot.`);
  }
  const trials = completed.map((c) => c.trial);
  const requested = selectParams(trials, options.params);
  const notes: string[] = [];
  const params: string[] = [];
  for (const name of requested) {
    const { count, first } = distinctValues(trials, name);
    if (count > 1) {
      params.push(name);
      continue;
    }
    const message = `Parameter "${name}" has only one value (${JSON.stringify(first)}) in the completed trials, so it cannot span a contour.`;
    if (options.params !== undefined) return messageFigure(CONTOUR_TITLE, message);
    notes.push(`${name} left out: one value (${JSON.stringify(first)})`);
  }
  if (params.length < 2) {
    return messageFigure(
      CONTOUR_TITLE,
      `A contour plot needs two parameters with more than one value; study "${study.studyName}" has ${params.length === 0 ? "none" : `only "${params[0]}"`}.`,
    );
  }

  const gridSize = options.gridSize ?? 50;
  const maxPoints = options.maxPoints ?? 1000;
  const reverse = reverseScale(study, options);
  const direction = targetDirection(study, options);
  const grids = new Map(params.map((name) => [name, gridOf(paramDistribution(trials, name), trials, name, gridSize)]));
  const data: PlotlyTrace[] = [];
  const layout: Record<string, unknown> = { showlegend: false };
  const n = params.length;
  const cells = n === 2 ? [{ row: 0, col: 0, xName: params[0] as string, yName: params[1] as string }] : matrixCells(params);
  const side = n === 2 ? 1 : n;
  let sampled = 0;
  let total = 0;

  cells.forEach(({ row, col, xName, yName }, k) => {
    const id = k === 0 ? "" : String(k + 1);
    const gap = side > 1 ? 0.03 : 0;
    const xDomain = [col / side + gap, (col + 1) / side - gap];
    const yDomain = [1 - (row + 1) / side + gap, 1 - row / side - gap];
    const bottomRow = side === 1 || row === side - 1;
    const leftCol = side === 1 || col === 0;
    if (xName === yName) {
      // An empty cell that still carries the matrix's outer axis titles.
      const blank = { showgrid: false, zeroline: false, showticklabels: false };
      layout[`xaxis${id}`] = { ...blank, title: { text: bottomRow ? xName : "" }, domain: xDomain, anchor: `y${id}` };
      layout[`yaxis${id}`] = { ...blank, title: { text: leftCol ? yName : "" }, domain: yDomain, anchor: `x${id}` };
      return;
    }
    const xd = paramDistribution(trials, xName);
    const yd = paramDistribution(trials, yName);
    const having = completed.filter((c) => xName in c.trial.params && yName in c.trial.params);
    const xGrid = grids.get(xName) as Grid;
    const yGrid = grids.get(yName) as Grid;
    data.push({
      type: "contour",
      xaxis: `x${id}`,
      yaxis: `y${id}`,
      x: xGrid.points,
      y: yGrid.points,
      z: binnedMeans(having, xGrid, yGrid, xName, yName),
      connectgaps: true,
      colorscale: COLOR_SCALE,
      reversescale: reverse,
      contours: { coloring: "heatmap" },
      line: { smoothing: 1.3 },
      hoverinfo: "none",
      showscale: k === firstContour(cells),
      colorbar: { title: { text: targetName } },
    });
    const best = having.reduce((a, b) => (isBetter(direction, b.value, a.value) ? b : a));
    const shown = evenSample(having, maxPoints, (c) => c === best);
    sampled = Math.max(sampled, shown.length);
    total = Math.max(total, having.length);
    data.push({
      type: "scatter",
      mode: "markers",
      name: "Trial",
      xaxis: `x${id}`,
      yaxis: `y${id}`,
      x: shown.map((c) => axisValue(xd, c.trial.params[xName] ?? null)),
      y: shown.map((c) => axisValue(yd, c.trial.params[yName] ?? null)),
      marker: { color: "black", line: { width: 2, color: "Grey" } },
      customdata: shown.map((c) => [c.trial.number, c.value]),
      hovertemplate: `Trial %{customdata[0]}<br>${xName}: %{x}<br>${yName}: %{y}<br>${targetName}: %{customdata[1]}<extra></extra>`,
    });
    layout[`xaxis${id}`] = { ...paramAxis(bottomRow ? xName : "", xd), domain: xDomain, anchor: `y${id}` };
    layout[`yaxis${id}`] = { ...paramAxis(leftCol ? yName : "", yd), domain: yDomain, anchor: `x${id}` };
  });
  if (side > 2) {
    layout.width = 300 * side;
    layout.height = 300 * side;
  }
  const note = sampleNote(sampled, total, "trials as markers");
  if (note !== null) notes.push(note);
  return makeFigure(CONTOUR_TITLE, data, layout, notes);
}

/** The cells of an n x n matrix: row r is the y parameter, column c the x one (diagonal left blank). */
function matrixCells(params: readonly string[]): Array<{ row: number; col: number; xName: string; yName: string }> {
  const cells: Array<{ row: number; col: number; xName: string; yName: string }> = [];
  params.forEach((yName, row) => params.forEach((xName, col) => cells.push({ row, col, xName, yName })));
  return cells;
}

function firstContour(cells: ReadonlyArray<{ xName: string; yName: string }>): number {
  return cells.findIndex((c) => c.xName !== c.yName);
}

/** Where a parameter's axis is sampled, and how a value finds its grid index. */
interface Grid {
  /** The grid's positions as plotted: numbers, or choice labels. */
  readonly points: Array<number | string>;
  /** The grid index of a trial's value. */
  readonly indexOf: (value: FrozenTrial["params"][string]) => number;
}

function gridOf(d: Distribution, trials: readonly FrozenTrial[], name: string, size: number): Grid {
  if (d.kind === "categorical") {
    const index = new Map(d.choices.map((c, i) => [c, i]));
    return { points: d.choices.map(choiceLabel), indexOf: (v) => index.get(v ?? null) ?? 0 };
  }
  // Over the values the trials took (not the whole range): that is where the data is.
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const t of trials) {
    const v = t.params[name];
    if (typeof v !== "number") continue;
    const s = d.log ? Math.log(v) : v;
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  const count = d.kind === "int" && !d.log ? Math.min(size, Math.round((hi - lo) / d.step) + 1) : size;
  const steps = Math.max(count - 1, 1);
  const points = Array.from({ length: count }, (_, i) => {
    const s = lo + ((hi - lo) * i) / steps;
    return d.log ? Math.exp(s) : s;
  });
  return {
    points,
    indexOf: (v) => {
      const s = d.log ? Math.log(v as number) : (v as number);
      return hi > lo ? Math.round(((s - lo) / (hi - lo)) * steps) : 0;
    },
  };
}

/** z[yIndex][xIndex]: the mean target of the trials in each cell, null where there are none. */
function binnedMeans(trials: readonly TargetedTrial[], xGrid: Grid, yGrid: Grid, xName: string, yName: string): Array<Array<number | null>> {
  const nx = xGrid.points.length;
  const ny = yGrid.points.length;
  const sum = new Float64Array(nx * ny);
  const count = new Uint32Array(nx * ny);
  for (const { trial, value } of trials) {
    const cell = yGrid.indexOf(trial.params[yName] ?? null) * nx + xGrid.indexOf(trial.params[xName] ?? null);
    sum[cell] = (sum[cell] as number) + value;
    count[cell] = (count[cell] as number) + 1;
  }
  return Array.from({ length: ny }, (_, iy) =>
    Array.from({ length: nx }, (_, ix) => {
      const c = count[iy * nx + ix] as number;
      return c === 0 ? null : (sum[iy * nx + ix] as number) / c;
    }),
  );
}
