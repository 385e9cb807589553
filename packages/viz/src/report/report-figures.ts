import type { FrozenTrial, StudyView } from "@shoal/core";
import { messageFigure, type PlotlyFigure } from "../figure.js";
import { plotContour } from "../plots/contour.js";
import { plotEdf } from "../plots/edf.js";
import { HYPERVOLUME_HISTORY_TITLE, plotHypervolumeHistory } from "../plots/hypervolume-history.js";
import { plotIntermediateValues } from "../plots/intermediate-values.js";
import { plotOptimizationHistory } from "../plots/optimization-history.js";
import { plotParallelCoordinate } from "../plots/parallel-coordinate.js";
import { plotParamImportances } from "../plots/param-importances.js";
import { plotParetoFront } from "../plots/pareto-front.js";
import { plotSlice } from "../plots/slice.js";
import { plotTimeline } from "../plots/timeline.js";
import type { TargetOptions } from "../plot-trials.js";

/** A single-objective report's plots, in page order; each is also written to `<name>.html` (and `<name>.png`). */
export const REPORT_PLOT_NAMES = [
  "optimization-history",
  "param-importances",
  "parallel-coordinate",
  "slice",
  "contour",
  "edf",
  "intermediate-values",
  "timeline",
] as const;

/** The plots a multi-objective report draws once per objective, as `<plot>-<objective index>`. */
export const PER_OBJECTIVE_PLOT_NAMES = ["optimization-history", "param-importances", "parallel-coordinate", "slice", "contour", "edf"] as const;

/** A plot of the report: see `reportPlotNames`. */
export type ReportPlotName =
  | (typeof REPORT_PLOT_NAMES)[number]
  | "pareto-front"
  | "hypervolume-history"
  | `${(typeof PER_OBJECTIVE_PLOT_NAMES)[number]}-${number}`;

/**
 * The report's plots in page order for a study of `objectives` objectives: REPORT_PLOT_NAMES for
 * one; for more, the Pareto front, the hypervolume history, each objective's plots
 * (`optimization-history-0`, ..., `edf-0`, `optimization-history-1`, ...), then the intermediate
 * values and the timeline, which do not depend on an objective.
 */
export function reportPlotNames(objectives: number): ReportPlotName[] {
  if (objectives <= 1) return [...REPORT_PLOT_NAMES];
  const perObjective = Array.from({ length: objectives }, (_, i) => PER_OBJECTIVE_PLOT_NAMES.map((p) => `${p}-${i}` as const)).flat();
  return ["pareto-front", "hypervolume-history", ...perObjective, "intermediate-values", "timeline"];
}

/** What the figures share: importances computed once, the objectives' names, the time RUNNING trials end at. */
export interface ReportFigureContext {
  /** One per objective (null where they could not be computed). */
  importances: ReadonlyArray<Readonly<Record<string, number>> | null>;
  /** One per objective; used by multi-objective reports. */
  objectiveNames: readonly string[];
  /** The hypervolume history's reference point (multi-objective), or null without a feasible trial. */
  referencePoint: readonly number[] | null;
  now: Date;
}

/** A report figure; `objective` is the index of the objective it plots, for a multi-objective report's per-objective plots. */
export interface ReportFigure {
  name: ReportPlotName;
  figure: PlotlyFigure;
  objective?: number;
}

/** Every report figure of the study, in page order. */
export function reportFigures(study: StudyView, context: ReportFigureContext): ReportFigure[] {
  if (study.directions.length > 1) return multiObjectiveFigures(study, context);
  const importances = context.importances[0] ?? null;
  const make: Record<(typeof REPORT_PLOT_NAMES)[number], () => PlotlyFigure> = {
    "optimization-history": () => plotOptimizationHistory(study),
    // Without importances (too few trials), the plot fails as fast and says why.
    "param-importances": () => plotParamImportances(study, importances === null ? {} : { importances }),
    "parallel-coordinate": () => plotParallelCoordinate(study),
    slice: () => plotSlice(study),
    contour: () => plotContour(study),
    edf: () => plotEdf(study),
    "intermediate-values": () => plotIntermediateValues(study),
    timeline: () => plotTimeline(study, { now: context.now }),
  };
  return REPORT_PLOT_NAMES.map((name) => ({ name, figure: make[name]() }));
}

function multiObjectiveFigures(study: StudyView, context: ReportFigureContext): ReportFigure[] {
  const { objectiveNames: names } = context;
  const figures: ReportFigure[] = [{ name: "pareto-front", figure: paretoFront(study, names) }, { name: "hypervolume-history", figure: hypervolumeHistory(study, context.referencePoint) }];
  study.directions.forEach((direction, i) => {
    const name = names[i] as string;
    const options: TargetOptions = { target: (t: FrozenTrial) => (t.values as readonly number[])[i] as number, targetName: name, targetDirection: direction };
    const importances = context.importances[i] ?? null;
    const make: Record<(typeof PER_OBJECTIVE_PLOT_NAMES)[number], () => PlotlyFigure> = {
      "optimization-history": () => plotOptimizationHistory(study, options),
      "param-importances": () => plotParamImportances(study, importances === null ? { target: options.target as (t: FrozenTrial) => number } : { importances }),
      "parallel-coordinate": () => plotParallelCoordinate(study, options),
      slice: () => plotSlice(study, options),
      contour: () => plotContour(study, options),
      edf: () => plotEdf(study, options),
    };
    for (const plot of PER_OBJECTIVE_PLOT_NAMES) {
      const figure = make[plot]();
      // Each objective has the same plots: the title says whose, on its own page too.
      figure.layout.title.text = `${figure.layout.title.text}: ${name}`;
      figures.push({ name: `${plot}-${i}`, figure, objective: i });
    }
  });
  figures.push({ name: "intermediate-values", figure: plotIntermediateValues(study) }, { name: "timeline", figure: plotTimeline(study, { now: context.now }) });
  return figures;
}

/** The Pareto front of the study's objectives; past three (a plot draws at most three), of the first three, as the subtitle says. */
function paretoFront(study: StudyView, names: readonly string[]): PlotlyFigure {
  const n = study.directions.length;
  if (n <= 3) return plotParetoFront(study, { targetNames: names });
  const figure = plotParetoFront(study, { targets: (t) => (t.values as readonly number[]).slice(0, 3), targetNames: names.slice(0, 3) });
  return withNote(figure, `${names.slice(0, 3).join(", ")} of the ${n} objectives (the front is that of all ${n}); plotParetoFront's \`targets\` picks others`);
}

function hypervolumeHistory(study: StudyView, referencePoint: readonly number[] | null): PlotlyFigure {
  if (referencePoint === null) {
    const message = study.getTrials({ states: ["COMPLETE"] }).length === 0 ? "has no completed trials yet" : "has no feasible completed trial";
    return messageFigure(HYPERVOLUME_HISTORY_TITLE, `Study "${study.studyName}" ${message}: no hypervolume to plot.`);
  }
  const figure = plotHypervolumeHistory(study, referencePoint);
  return withNote(figure, `reference point [${referencePoint.map(formatNumber).join(", ")}]`);
}

/** The figure with `note` added to its subtitle. */
function withNote(figure: PlotlyFigure, note: string): PlotlyFigure {
  const title = figure.layout.title;
  figure.layout.title = { text: title.text, subtitle: { text: title.subtitle === undefined ? note : `${title.subtitle.text}; ${note}` } };
  return figure;
}

function formatNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}
