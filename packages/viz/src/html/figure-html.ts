import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PlotlyFigure } from "../figure.js";
import { htmlPage, plotBlock } from "./page.js";

/**
 * One figure as a self-contained HTML page: plotly inlined, no network needed to open it.
 * `json` is the figure already serialised by `figureJson`, when the caller has it.
 */
export function figureToHtml(figure: PlotlyFigure, title = figure.layout.title.text, json?: string): string {
  const width = typeof figure.layout.width === "number" ? `width:${figure.layout.width}px;` : "";
  const style = `${width}height:calc(100vh - 32px);min-height:450px;`;
  return htmlPage(title, plotBlock("plot", figure, style, json), "html, body { height: 100%; }");
}

/** Writes `figureToHtml(figure)` to `file`, creating its directory. */
export async function writeFigureHtml(figure: PlotlyFigure, file: string, title?: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, figureToHtml(figure, title));
}
