import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { getParamImportances, ShoalError, type ImportanceEvaluator, type StudyView } from "@shoal/core";
import { figureToHtml } from "../html/figure-html.js";
import { figureJson } from "../html/figure-json.js";
import { escapeHtml, htmlPage, plotBlock } from "../html/page.js";
import { renderPngs } from "../png/render-png.js";
import { reportFigures, type ReportPlotName } from "./report-figures.js";
import { summarizeStudy, summaryHtml, type StudySummary } from "./summary.js";

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
}

/** What writeReport wrote. */
export interface ReportResult {
  /** `<outDir>/report.html`: every plot and the summary in one page. */
  reportFile: string;
  /** `<outDir>/<name>.html` for each plot. */
  plotFiles: Record<ReportPlotName, string>;
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
 */
export async function writeReport(study: StudyView, options: ReportOptions): Promise<ReportResult> {
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });

  let importances: Record<string, number> | null = null;
  let importanceMessage: string | null = null;
  try {
    importances = getParamImportances(study, options.evaluator ? { evaluator: options.evaluator } : {});
  } catch (error) {
    if (!(error instanceof ShoalError)) throw error;
    importanceMessage = error.message;
  }
  const summary = summarizeStudy(study, importances, importanceMessage);
  const figures = reportFigures(study, { importances, now: options.now ?? new Date() });

  // Each figure is serialised once, for its own page and for report.html.
  const serialised = figures.map(({ name, figure }) => ({ name, figure, json: figureJson(figure) }));
  const plotFiles = Object.fromEntries(serialised.map(({ name }) => [name, path.join(outDir, `${name}.html`)])) as Record<ReportPlotName, string>;
  await Promise.all(
    serialised.map(({ name, figure, json }) => writeFile(plotFiles[name], figureToHtml(figure, `${figure.layout.title.text} · ${study.studyName}`, json))),
  );

  const sections = serialised
    .map(({ name, figure, json }) => {
      const width = typeof figure.layout.width === "number" ? `width:${figure.layout.width}px;` : "";
      const height = typeof figure.layout.height === "number" ? figure.layout.height : 500;
      return `<section class="plot-section" id="section-${name}">
${plotBlock(`plot-${name}`, figure, `${width}height:${height}px;`, json)}<div class="links"><a href="${name}.html">${escapeHtml(figure.layout.title.text)} on its own page</a>${options.png ? ` · <a href="${name}.png">PNG</a>` : ""}</div>
</section>`;
    })
    .join("\n");
  const body = `<h1>Study ${escapeHtml(study.studyName)}</h1>
<p class="meta">${summary.trialCount} trials, direction ${escapeHtml(study.direction)}</p>
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
