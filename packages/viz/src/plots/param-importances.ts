import { getParamImportances, ShoalError, type Distribution, type FrozenTrial, type ImportanceEvaluator, type StudyView } from "@shoal/core";
import { makeFigure, messageFigure, type PlotlyFigure } from "../figure.js";
import { checkTarget, findDistribution } from "../plot-trials.js";

/** Options of plotParamImportances. */
export interface ParamImportancesPlotOptions {
  /** @default fANOVA with seed 0 */
  evaluator?: ImportanceEvaluator;
  params?: readonly string[];
  /** The number whose importance is measured; the objective value by default. A multi-objective study needs it. */
  target?: (trial: FrozenTrial) => number;
  /** Importances already computed (by `getParamImportances`), so a report computes them once. */
  importances?: Readonly<Record<string, number>>;
}

export const PARAM_IMPORTANCES_TITLE = "Hyperparameter Importances";

// Optuna colours each bar by the kind of its distribution (plotly's D3 palette).
const KIND_COLORS = {
  float: "#1f77b4",
  floatLog: "#ff7f0e",
  floatStep: "#2ca02c",
  int: "#d62728",
  intLog: "#9467bd",
  categorical: "#8c564b",
} as const;

/**
 * Horizontal bars of each parameter's importance, the most important on top, as Optuna's
 * `plot_param_importances`. A study with fewer than two completed trials gets a message. A
 * multi-objective study needs `target` (or `importances`), else TargetRequiredError.
 */
export function plotParamImportances(study: StudyView, options: ParamImportancesPlotOptions = {}): PlotlyFigure {
  // Outside the try below: this is the caller's mistake, not a fact about the study to show.
  if (options.importances === undefined) checkTarget(study, { target: options.target }, "plotParamImportances");
  let importances: Readonly<Record<string, number>>;
  try {
    importances =
      options.importances ??
      getParamImportances(study, {
        ...(options.evaluator ? { evaluator: options.evaluator } : {}),
        ...(options.params ? { params: options.params } : {}),
        ...(options.target ? { target: options.target } : {}),
      });
  } catch (error) {
    if (error instanceof ShoalError) return messageFigure(PARAM_IMPORTANCES_TITLE, error.message);
    throw error;
  }
  const entries = Object.entries(importances).sort(([, a], [, b]) => b - a);
  if (entries.length === 0) {
    return messageFigure(PARAM_IMPORTANCES_TITLE, `Study "${study.studyName}" has no parameter shared by all completed trials.`);
  }
  // Plotly draws the first bar at the bottom, so the least important goes first.
  entries.reverse();
  const trials = study.getTrials();
  const kinds = entries.map(([name]) => kindOf(findDistribution(trials, name)));
  return makeFigure(
    PARAM_IMPORTANCES_TITLE,
    [
      {
        type: "bar",
        orientation: "h",
        x: entries.map(([, v]) => v),
        y: entries.map(([name]) => name),
        text: entries.map(([, v]) => formatImportance(v)),
        textposition: "outside",
        cliponaxis: false,
        marker: { color: kinds.map((k) => KIND_COLORS[k]) },
        customdata: kinds.map(kindLabel),
        hovertemplate: "%{y} (%{customdata}): %{x}<extra></extra>",
      },
    ],
    {
      xaxis: { title: { text: "Hyperparameter Importance" } },
      yaxis: { title: { text: "Hyperparameter" } },
      showlegend: false,
    },
  );
}

type Kind = keyof typeof KIND_COLORS;

function kindOf(d: Distribution | undefined): Kind {
  if (d === undefined) return "float";
  if (d.kind === "categorical") return "categorical";
  if (d.kind === "int") return d.log ? "intLog" : "int";
  if (d.log) return "floatLog";
  return d.step === null ? "float" : "floatStep";
}

function kindLabel(kind: Kind): string {
  return {
    float: "FloatDistribution",
    floatLog: "FloatDistribution, log",
    floatStep: "FloatDistribution, step",
    int: "IntDistribution",
    intLog: "IntDistribution, log",
    categorical: "CategoricalDistribution",
  }[kind];
}

/** Two decimals, as Optuna prints them, but "<0.01" rather than a misleading "0.00". */
export function formatImportance(v: number): string {
  return v > 0 && v < 0.005 ? "<0.01" : v.toFixed(2);
}
