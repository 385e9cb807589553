import type { StudyView } from "@shoal/core";
import { makeFigure, messageFigure, type PlotlyFigure } from "../figure.js";
import { completedWithTarget, DEFAULT_TARGET_NAME, type TargetOptions } from "../plot-trials.js";

/** Options of plotEdf. */
export interface EdfOptions extends TargetOptions {
  /** Points on the value axis. @default 100 (Optuna's) */
  points?: number;
}

export const EDF_TITLE = "Empirical Distribution Function Plot";

/**
 * The empirical cumulative distribution of the completed trials' objective values, as Optuna's
 * `plot_edf`: for each value v, the fraction of trials with a value <= v. Drawn at `points`
 * evenly spaced values, so its size does not grow with the study.
 */
export function plotEdf(study: StudyView, options: EdfOptions = {}): PlotlyFigure {
  const targetName = options.targetName ?? DEFAULT_TARGET_NAME;
  const values = completedWithTarget(study, options, "plotEdf")
    .map((c) => c.value)
    .sort((a, b) => a - b);
  if (values.length === 0) {
    return messageFigure(EDF_TITLE, `Study "${study.studyName}" has no completed trials yet: nothing to plot.`);
  }
  const lo = values[0] as number;
  const hi = values[values.length - 1] as number;
  const n = hi > lo ? (options.points ?? 100) : 1;
  const x = Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1)));
  const y: number[] = [];
  let below = 0;
  for (const v of x) {
    while (below < values.length && (values[below] as number) <= v) below++;
    y.push(below / values.length);
  }
  return makeFigure(
    EDF_TITLE,
    [{ type: "scatter", mode: n === 1 ? "markers" : "lines", name: study.studyName, x, y }],
    { xaxis: { title: { text: targetName } }, yaxis: { title: { text: "Cumulative Probability" }, range: [0, 1.02] }, showlegend: true },
  );
}
