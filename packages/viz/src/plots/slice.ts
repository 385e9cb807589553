import type { StudyView } from "@shoal/core";
import { COLOR_SCALE, makeFigure, messageFigure, type PlotlyFigure, type PlotlyTrace } from "../figure.js";
import { axisValue, paramAxis } from "../param-axis.js";
import { completedWithTarget, DEFAULT_TARGET_NAME, paramDistribution, selectParams, type TargetOptions } from "../plot-trials.js";

/** Options of plotSlice. */
export interface SliceOptions extends TargetOptions {
  /** One subplot per parameter; all of the completed trials' parameters by default. */
  params?: readonly string[];
}

export const SLICE_TITLE = "Slice Plot";

/**
 * One subplot per parameter: each completed trial's objective value against the parameter's
 * value, coloured by trial number, as Optuna's `plot_slice`. The subplots share the value axis;
 * log parameters get a log x axis and categorical ones an axis of their choices.
 *
 * Every trial is plotted (10,000 trials x 5 parameters are about 1.5 MB of JSON); a subplot has no
 * per-point text, only a hover template, to keep it so.
 */
export function plotSlice(study: StudyView, options: SliceOptions = {}): PlotlyFigure {
  const targetName = options.targetName ?? DEFAULT_TARGET_NAME;
  const completed = completedWithTarget(study, options, "plotSlice");
  if (completed.length === 0) {
    return messageFigure(SLICE_TITLE, `Study "${study.studyName}" has no completed trials yet: nothing to plot.`);
  }
  const trials = completed.map((c) => c.trial);
  const params = selectParams(trials, options.params);
  if (params.length === 0) return messageFigure(SLICE_TITLE, `The completed trials of study "${study.studyName}" have no parameters.`);

  const n = params.length;
  const gap = n > 1 ? 0.02 : 0;
  const data: PlotlyTrace[] = [];
  const layout: Record<string, unknown> = { showlegend: false };
  params.forEach((name, i) => {
    const d = paramDistribution(trials, name);
    const having = completed.filter((c) => name in c.trial.params);
    const axis = i === 0 ? "" : String(i + 1);
    data.push({
      type: "scatter",
      mode: "markers",
      name,
      xaxis: `x${axis}`,
      yaxis: "y",
      x: having.map((c) => axisValue(d, c.trial.params[name] ?? null)),
      y: having.map((c) => c.value),
      marker: {
        line: { width: 0.5, color: "Grey" },
        color: having.map((c) => c.trial.number),
        colorscale: COLOR_SCALE,
        showscale: i === 0,
        ...(i === 0 ? { colorbar: { title: { text: "Trial" }, x: 1, xpad: 40 } } : {}),
      },
      hovertemplate: `${name}: %{x}<br>${targetName}: %{y}<br>Trial %{marker.color}<extra></extra>`,
    });
    layout[`xaxis${axis}`] = { ...paramAxis(name, d), domain: [i / n + (i > 0 ? gap : 0), (i + 1) / n - (i < n - 1 ? gap : 0)], anchor: "y" };
  });
  layout.yaxis = { title: { text: targetName }, anchor: "x" };
  // Wide enough that each subplot keeps about 300 px, as Optuna does past three parameters.
  if (n > 3) layout.width = 300 * n;
  return makeFigure(SLICE_TITLE, data, layout);
}
