import { isBetter, isFeasible, TrialState, type StudyView } from "@shoal/core";
import { makeFigure, messageFigure, type PlotlyFigure, type PlotlyTrace } from "../figure.js";
import { completedWithTarget, DEFAULT_TARGET_NAME, targetDirection, type TargetOptions } from "../plot-trials.js";

/** Options of plotOptimizationHistory. */
export interface OptimizationHistoryOptions extends TargetOptions {
  /** Show PRUNED trials at their last reported value, in grey, as "Pruned Trial". @default true */
  includePruned?: boolean;
}

export const OPTIMIZATION_HISTORY_TITLE = "Optimization History Plot";

/**
 * Each completed trial's objective value by trial number, and the best value so far as a line,
 * as Optuna's `plot_optimization_history`. Pruned trials are shown apart (their value is only the
 * last one they reported, so they never count as best); failed trials have no value and are left
 * out, which the subtitle says. With a custom `target` there is no "Best Value" line (the
 * direction of a custom target is unknown), as in Optuna, unless `targetDirection` gives it.
 * Infeasible trials (a `constraints` system attr value > 0) are grey and never best, as in Optuna.
 * A multi-objective study needs `target` (TargetRequiredError otherwise).
 *
 * Every trial is plotted: 10,000 trials are about 0.3 MB of JSON.
 */
export function plotOptimizationHistory(study: StudyView, options: OptimizationHistoryOptions = {}): PlotlyFigure {
  const targetName = options.targetName ?? DEFAULT_TARGET_NAME;
  const completed = completedWithTarget(study, options, "plotOptimizationHistory");
  if (completed.length === 0) {
    return messageFigure(OPTIMIZATION_HISTORY_TITLE, `Study "${study.studyName}" has no completed trials yet: nothing to plot.`);
  }
  // As Optuna: a trial that broke its constraints is drawn apart, in grey, and is never the best.
  const feasible = completed.filter((c) => isFeasible(c.trial));
  const infeasible = completed.filter((c) => !isFeasible(c.trial));
  const x = feasible.map((c) => c.trial.number);
  const y = feasible.map((c) => c.value);
  const data: PlotlyTrace[] = [{ type: "scatter", mode: "markers", name: targetName, x, y }];

  // A custom target of unknown direction has no "best" (Optuna draws no line for it).
  if (feasible.length > 0 && (options.target === undefined || options.targetDirection !== undefined)) {
    const direction = targetDirection(study, options);
    const best: number[] = [];
    let current = y[0] as number;
    for (const v of y) {
      if (isBetter(direction, v, current)) current = v;
      best.push(current);
    }
    data.push({ type: "scatter", mode: "lines", name: "Best Value", x, y: best, line: { color: "#EF553B" } });
  }

  const notes: string[] = [];
  if (options.includePruned ?? true) {
    const target = options.target ?? ((t) => t.value as number);
    const pruned = study.getTrials({ states: [TrialState.PRUNED] }).filter((t) => t.value !== null && Number.isFinite(target(t)));
    if (pruned.length > 0) {
      data.push({
        type: "scatter",
        mode: "markers",
        name: "Pruned Trial",
        x: pruned.map((t) => t.number),
        y: pruned.map(target),
        marker: { color: "#cccccc", symbol: "x" },
        hovertemplate: "Trial %{x} (pruned)<br>last reported value %{y}<extra></extra>",
      });
    }
  }
  if (infeasible.length > 0) {
    data.push({
      type: "scatter",
      mode: "markers",
      name: "Infeasible Trial",
      x: infeasible.map((c) => c.trial.number),
      y: infeasible.map((c) => c.value),
      marker: { color: "#cccccc" },
      hovertemplate: "Trial %{x} (infeasible)<br>%{y}<extra></extra>",
    });
  }
  const failed = study.getTrials({ states: [TrialState.FAIL] }).length;
  if (failed > 0) notes.push(`${failed} failed ${failed === 1 ? "trial" : "trials"} not shown`);

  return makeFigure(
    OPTIMIZATION_HISTORY_TITLE,
    data,
    { xaxis: { title: { text: "Trial" } }, yaxis: { title: { text: targetName } }, showlegend: true },
    notes,
  );
}
