import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { getParamImportances, ShoalError, type FrozenTrial, type ImportanceEvaluator, type StudyView } from "@shoal/core";
import { PlotOptionError } from "../errors.js";
import { figureToHtml } from "../html/figure-html.js";
import { figureJson } from "../html/figure-json.js";
import { escapeHtml, htmlPage, plotBlock } from "../html/page.js";
import { renderPngs } from "../png/render-png.js";
import { defaultReferencePoint } from "../plots/hypervolume-history.js";
import { DEFAULT_TARGET_NAME } from "../plot-trials.js";
import { reportFigures } from "./report-figures.js";
import { summarizeStudy, summaryHtml, type ObjectiveImportances, type StudySummary } from "./summary.js";

/** Options of writeReport. */
export interface ReportOptions {
  /** The directory to write into (created if missing). */
  outDir: string;
  /** Also render every plot as `<name>.png` through headless Chromium. @default false */
  png?: boolean;
  /** The Chromium executable for `png`. @default "/usr/bin/chromium" */
  browser?: string | undefined;
  /** @default fANOVA with seed 0, so the same study gives the same report */
  evaluator?: ImportanceEvaluator;
  /** Where RUNNING trials' bars end on the timeline. @default now */
  now?: Date;
  /** A multi-objective study's objective names, one per objective, for axes, titles and the summary. @default "Objective 0", "Objective 1", ... */
  objectiveNames?: readonly string[];
  /**
   * A multi-objective study's reference point for the hypervolume history, one value per
   * objective in its own terms. @default `defaultReferencePoint(study)`: per objective, the worst
   * feasible value moved 10% of the objective's range away from the front
   */
  referencePoint?: readonly number[];
}

/** What writeReport wrote. */
export interface ReportResult {
  /** `<outDir>/report.html`: every plot and the summary in one page. */
  reportFile: string;
  /**
   * `<outDir>/<name>.html` for each plot, by plot name (a ReportPlotName: those of
   * `reportPlotNames(study.directions.length)`).
   */
  plotFiles: Record<string, string>;
  /** `<outDir>/<name>.png` for each plot, when `png` was set. */
  pngFiles: string[];
  summary: StudySummary;
}

const REPORT_CSS = `
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 8px; }
.meta { color: #506784; margin: 0 0 16px; }
.summary { display: flex; flex-wrap: wrap; gap: 32px; margin-bottom: 24px; }
table { border-collapse: collapse; font-size: 14px; }
td, th { padding: 2px 10px 2px 0; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { border-top: 1px solid #c8d4e3; }
.bar { display: inline-block; height: 10px; background: #636efa; }
h2.objective { margin: 24px 0 0; }
h3 { font-size: 14px; margin: 8px 0 4px; }
.plot-section { overflow-x: auto; margin-bottom: 24px; border-top: 1px solid #e5ecf6; padding-top: 8px; }
.links { font-size: 13px; }
`;

/**
 * Writes a study's report to `outDir`: `report.html` (summary and every plot), one
 * self-contained HTML file per plot, and with `png` a PNG per plot. Every page inlines plotly, so
 * the files open offline. Importances are computed once (fANOVA) and shared by the summary and
 * the importance plot.
 *
 * Big studies stay small (10,000 trials: about 2 s and a 7 MB report.html, 4.6 MB of it plotly):
 * the history, slice and timeline plot every trial without per-point text; parallel coordinates
 * draw at most 1,000 lines and the contour's markers at most 1,000 trials (evenly spread, the best
 * kept); the contour averages trials on a 50 x 50 grid; the EDF is drawn at 100 points;
 * intermediate values show at most 500 trials, as one line per state past 50; numbers are written
 * with 7 significant digits.
 *
 * A multi-objective study gets the Pareto front, the hypervolume history (reference point:
 * `referencePoint`, else `defaultReferencePoint`), then each objective's history, importances,
 * parallel coordinates, slice, contour and EDF (`target` the objective's value, named after it),
 * then the intermediate values and the timeline; the summary lists the Pareto-front trials
 * instead of a best trial, and the importances of each objective. The Pareto front plots every
 * completed trial with its hover text (number, values, params: about 190 bytes a trial), so a
 * 10,000-trial two-objective report takes about 3.3 s and 9.7 MB.
 */
export async function writeReport(study: StudyView, options: ReportOptions): Promise<ReportResult> {
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });

  const directions = study.directions;
  const multi = directions.length > 1;
  const objectiveNames = namesOf(directions.length, options.objectiveNames);
  const referencePoint = multi ? referencePointOf(study, options.referencePoint) : null;
  const importances = directions.map((_, i) =>
    importancesOf(study, objectiveNames[i] as string, options.evaluator, multi ? (t) => (t.values as readonly number[])[i] as number : undefined),
  );
  const summary = summarizeStudy(study, importances, objectiveNames);
  const figures = reportFigures(study, { importances: importances.map((o) => o.importances), objectiveNames, referencePoint, now: options.now ?? new Date() });

  // Each figure is serialised once, for its own page and for report.html.
  const serialised = figures.map(({ name, figure, objective }) => ({ name, figure, objective, json: figureJson(figure) }));
  const plotFiles: Record<string, string> = Object.fromEntries(serialised.map(({ name }) => [name, path.join(outDir, `${name}.html`)]));
  await Promise.all(
    serialised.map(({ name, figure, json }) => writeFile(plotFiles[name] as string, figureToHtml(figure, `${figure.layout.title.text} · ${study.studyName}`, json))),
  );

  const sections = serialised
    .map(({ name, figure, json, objective }, k) => {
      const width = typeof figure.layout.width === "number" ? `width:${figure.layout.width}px;` : "";
      const height = typeof figure.layout.height === "number" ? figure.layout.height : 500;
      // A multi-objective report's per-objective plots come in groups, each under its objective's heading.
      const heading =
        objective !== undefined && serialised[k - 1]?.objective !== objective
          ? `<h2 class="objective" id="objective-${objective}">${escapeHtml(objectiveNames[objective] as string)} (${directions[objective]})</h2>\n`
          : "";
      return `${heading}<section class="plot-section" id="section-${name}">
${plotBlock(`plot-${name}`, figure, `${width}height:${height}px;`, json)}<div class="links"><a href="${name}.html">${escapeHtml(figure.layout.title.text)} on its own page</a>${options.png ? ` · <a href="${name}.png">PNG</a>` : ""}</div>
</section>`;
    })
    .join("\n");
  const body = `<h1>Study ${escapeHtml(study.studyName)}</h1>
<p class="meta">${summary.trialCount} trials, ${multi ? `directions ${directions.map((d, i) => `${escapeHtml(objectiveNames[i] as string)} ${d}`).join(", ")}` : `direction ${escapeHtml(study.direction)}`}</p>
${summaryHtml(summary)}
${sections}`;
  const reportFile = path.join(outDir, "report.html");
  await writeFile(reportFile, htmlPage(`Shoal report · ${study.studyName}`, body, REPORT_CSS));

  const pngFiles: string[] = [];
  if (options.png) {
    const items = figures.map(({ name, figure }) => ({ figure, file: path.join(outDir, `${name}.png`) }));
    await renderPngs(items, { browser: options.browser });
    pngFiles.push(...items.map((i) => i.file));
  }
  return { reportFile, plotFiles, pngFiles, summary };
}

/** The objectives' names: `given` (one per objective), else Optuna's "Objective 0", ...; a single objective is the "Objective Value". */
function namesOf(objectives: number, given: readonly string[] | undefined): string[] {
  if (given !== undefined) {
    if (given.length !== objectives) {
      throw new PlotOptionError("writeReport", "objectiveNames", `has ${given.length} names, and the study has ${objectives} ${objectives === 1 ? "objective" : "objectives"}: give one per objective.`);
    }
    return [...given];
  }
  return objectives === 1 ? [DEFAULT_TARGET_NAME] : Array.from({ length: objectives }, (_, i) => `Objective ${i}`);
}

function referencePointOf(study: StudyView, given: readonly number[] | undefined): readonly number[] | null {
  if (given === undefined) return defaultReferencePoint(study);
  if (given.length !== study.directions.length || !given.every(Number.isFinite)) {
    throw new PlotOptionError("writeReport", "referencePoint", `must hold one finite number per objective (${study.directions.length}); got [${given.join(", ")}].`);
  }
  return given;
}

/** One objective's importances, or why there are none (a ShoalError's message: too few trials, ...). */
function importancesOf(
  study: StudyView,
  objective: string,
  evaluator: ImportanceEvaluator | undefined,
  target: ((t: FrozenTrial) => number) | undefined,
): ObjectiveImportances {
  try {
    return { objective, importances: getParamImportances(study, { ...(evaluator ? { evaluator } : {}), ...(target ? { target } : {}) }), message: null };
  } catch (error) {
    if (!(error instanceof ShoalError)) throw error;
    return { objective, importances: null, message: error.message };
  }
}
