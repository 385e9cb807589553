import type { StudyView } from "@shoal/core";
import type { PlotlyFigure } from "../figure.js";
import { plotContour } from "../plots/contour.js";
import { plotEdf } from "../plots/edf.js";
import { plotIntermediateValues } from "../plots/intermediate-values.js";
import { plotOptimizationHistory } from "../plots/optimization-history.js";
import { plotParallelCoordinate } from "../plots/parallel-coordinate.js";
import { plotParamImportances } from "../plots/param-importances.js";
import { plotSlice } from "../plots/slice.js";
import { plotTimeline } from "../plots/timeline.js";

/** The report's plots, in page order; each is also written to `<name>.html` (and `<name>.png`). */
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

export type ReportPlotName = (typeof REPORT_PLOT_NAMES)[number];

/** What the figures share: importances computed once, and the time RUNNING trials end at. */
export interface ReportFigureContext {
  importances: Readonly<Record<string, number>> | null;
  now: Date;
}

/** Every report figure of the study, by name. */
export function reportFigures(study: StudyView, context: ReportFigureContext): Array<{ name: ReportPlotName; figure: PlotlyFigure }> {
  const make: Record<ReportPlotName, () => PlotlyFigure> = {
    "optimization-history": () => plotOptimizationHistory(study),
    // Without importances (too few trials), the plot fails as fast and says why.
    "param-importances": () => plotParamImportances(study, context.importances === null ? {} : { importances: context.importances }),
    "parallel-coordinate": () => plotParallelCoordinate(study),
    slice: () => plotSlice(study),
    contour: () => plotContour(study),
    edf: () => plotEdf(study),
    "intermediate-values": () => plotIntermediateValues(study),
    timeline: () => plotTimeline(study, { now: context.now }),
  };
  return REPORT_PLOT_NAMES.map((name) => ({ name, figure: make[name]() }));
}
