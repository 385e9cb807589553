import { isBetter, type StudyView } from "@shoal/core";
import { evenSample, sampleNote } from "../downsample.js";
import { COLOR_SCALE, makeFigure, messageFigure, type PlotlyFigure } from "../figure.js";
import { choiceLabel } from "../param-axis.js";
import { completedWithTarget, DEFAULT_TARGET_NAME, paramDistribution, reverseScale, selectParams, targetDirection, type TargetOptions } from "../plot-trials.js";

/** Options of plotParallelCoordinate. */
export interface ParallelCoordinateOptions extends TargetOptions {
  /** The parameters, one axis each; all of the completed trials' parameters by default. */
  params?: readonly string[];
  /**
   * At most this many lines. Past it, trials are taken evenly over the study, the best one
   * always among them: ten thousand lines are one dark band, and cost the browser seconds.
   * @default 1000
   */
  maxTrials?: number;
}

export const PARALLEL_COORDINATE_TITLE = "Parallel Coordinate Plot";

/**
 * One line per completed trial through an axis per parameter, with the objective value as the
 * first axis and the colour, as Optuna's `plot_parallel_coordinate`. Log parameters get an axis
 * in log10 with their values as tick labels; categorical ones an axis of their choices. Trials
 * that lack one of the parameters are left out.
 */
export function plotParallelCoordinate(study: StudyView, options: ParallelCoordinateOptions = {}): PlotlyFigure {
  const targetName = options.targetName ?? DEFAULT_TARGET_NAME;
  const completed = completedWithTarget(study, options, "plotParallelCoordinate");
  if (completed.length === 0) {
    return messageFigure(PARALLEL_COORDINATE_TITLE, `Study "${study.studyName}" has no completed trials yet: nothing to plot.`);
  }
  const trials = completed.map((c) => c.trial);
  const params = selectParams(trials, options.params);
  const withAll = completed.filter((c) => params.every((p) => p in c.trial.params));
  if (withAll.length === 0) {
    return messageFigure(PARALLEL_COORDINATE_TITLE, `No completed trial has all of the parameters ${params.join(", ")}.`);
  }
  const direction = targetDirection(study, options);
  const best = withAll.reduce((a, b) => (isBetter(direction, b.value, a.value) ? b : a));
  const shown = evenSample(withAll, options.maxTrials ?? 1000, (c) => c === best);

  const values = shown.map((c) => c.value);
  const dimensions: Array<Record<string, unknown>> = [{ label: targetName, values, ...rangeOf(values) }];
  for (const name of params) {
    const d = paramDistribution(trials, name);
    const label = name.length < 20 ? name : `${name.slice(0, 17)}...`;
    if (d.kind === "categorical") {
      const index = new Map(d.choices.map((c, i) => [c, i]));
      dimensions.push({
        label,
        values: shown.map((c) => index.get(c.trial.params[name] ?? null) ?? -1),
        range: [0, Math.max(d.choices.length - 1, 1)],
        tickvals: d.choices.map((_, i) => i),
        ticktext: d.choices.map(choiceLabel),
      });
    } else if (d.log) {
      const logs = shown.map((c) => Math.log10(c.trial.params[name] as number));
      const { range } = rangeOf(logs);
      dimensions.push({ label, values: logs, range, ...logTicks(range ?? [logs[0] as number, logs[0] as number]) });
    } else {
      const raw = shown.map((c) => c.trial.params[name] as number);
      dimensions.push({ label, values: raw, ...rangeOf(raw) });
    }
  }

  const note = sampleNote(shown.length, withAll.length);
  return makeFigure(
    PARALLEL_COORDINATE_TITLE,
    [
      {
        type: "parcoords",
        dimensions,
        labelangle: 30,
        labelside: "bottom",
        line: {
          color: values,
          colorscale: COLOR_SCALE,
          colorbar: { title: { text: targetName } },
          showscale: true,
          reversescale: reverseScale(study, options),
        },
      },
    ],
    {},
    note === null ? [] : [note],
  );
}

/** The axis range of the values; none when they are all equal (plotly then centres them). */
function rangeOf(values: readonly number[]): { range?: [number, number] } {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo < hi ? { range: [lo, hi] } : {};
}

/** Ticks at the powers of ten inside the log10 range, and its ends, labelled with real values. */
function logTicks([lo, hi]: [number, number]): { tickvals: number[]; ticktext: string[] } {
  const tickvals: number[] = [lo];
  for (let p = Math.ceil(lo); p < hi; p++) if (p > lo) tickvals.push(p);
  if (hi > lo) tickvals.push(hi);
  return { tickvals, ticktext: tickvals.map((v) => formatG3(10 ** v)) };
}

/** Python's "{:.3g}". */
function formatG3(v: number): string {
  const s = v.toPrecision(3);
  return s.includes("e") ? s.replace(/\.?0+e/, "e").replace(/e([+-])(\d)$/, "e$10$2") : String(Number(s));
}
