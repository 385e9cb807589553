/**
 * @shoal/viz: plotly figures of a study (Optuna's plots) and the offline HTML report, with PNGs
 * through headless Chromium. Reads any StudyView: a live Study, or a snapshot from JSON.
 */
export {
  BrowserLaunchError,
  BrowserNotFoundError,
  PlotOptionError,
  SingleObjectiveStudyError,
  TargetRequiredError,
  UnknownParamError,
} from "./errors.js";
export { COLOR_SCALE, figureMessage, messageFigure, type PlotlyFigure, type PlotlyLayout, type PlotlyTrace } from "./figure.js";
export { figureToHtml, writeFigureHtml } from "./html/figure-html.js";
export type { TargetOptions } from "./plot-trials.js";
export { plotContour, type ContourOptions } from "./plots/contour.js";
export { plotEdf, type EdfOptions } from "./plots/edf.js";
/** Multi-objective: the hypervolume after each trial, and the nadir-based reference point the report uses. */
export { defaultReferencePoint, plotHypervolumeHistory } from "./plots/hypervolume-history.js";
export { plotIntermediateValues, type IntermediateValuesOptions } from "./plots/intermediate-values.js";
export { plotOptimizationHistory, type OptimizationHistoryOptions } from "./plots/optimization-history.js";
export { plotParallelCoordinate, type ParallelCoordinateOptions } from "./plots/parallel-coordinate.js";
export { plotParamImportances, type ParamImportancesPlotOptions } from "./plots/param-importances.js";
/** Multi-objective: the trials in objective space, the front highlighted (2-D or 3-D). */
export { plotParetoFront, type ParetoFrontOptions } from "./plots/pareto-front.js";
export { plotSlice, type SliceOptions } from "./plots/slice.js";
export { plotTimeline, type TimelineOptions } from "./plots/timeline.js";
export { CHROMIUM_ARGS, DEFAULT_BROWSER, withBrowserPage, type BrowserOptions } from "./png/browser.js";
export { renderPng, renderPngs, type PngOptions } from "./png/render-png.js";
export { PER_OBJECTIVE_PLOT_NAMES, REPORT_PLOT_NAMES, reportPlotNames, type ReportPlotName } from "./report/report-figures.js";
export type { ObjectiveImportances, StudySummary } from "./report/summary.js";
export { writeReport, type ReportOptions, type ReportResult } from "./report/write-report.js";
export { readStudyJson, studySnapshotOf } from "./study-json.js";
export { StudySnapshot } from "./study-snapshot.js";
