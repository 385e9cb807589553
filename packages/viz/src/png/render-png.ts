import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { BrowserLaunchError } from "../errors.js";
import type { PlotlyFigure } from "../figure.js";
import { figureJson } from "../html/figure-json.js";
import { htmlPage } from "../html/page.js";
import { withBrowserPage, type BrowserOptions } from "./browser.js";

/** Options of renderPng and renderPngs. */
export interface PngOptions extends BrowserOptions {
  /** Image width in CSS pixels, unless the figure sets its own. @default 900 */
  width?: number;
  /** Image height in CSS pixels, unless the figure sets its own. @default 500 */
  height?: number;
  /** Device pixel ratio: 2 gives sharp images on high-density screens. @default 1 */
  scale?: number;
}

// Draws one figure off screen and returns it as a PNG data URL (Plotly.toImage).
const RENDER_HELPER = `<script>
window.shoalRender = async (figure, width, height, scale) => {
  const div = document.createElement("div");
  document.body.appendChild(div);
  try {
    await Plotly.newPlot(div, figure.data, figure.layout, { staticPlot: true });
    return await Plotly.toImage(div, { format: "png", width, height, scale });
  } finally {
    Plotly.purge(div);
    div.remove();
  }
};
</script>`;

/**
 * Renders figures to PNG files through one headless Chromium (playwright-core): the page loads
 * plotly once, then draws each figure with `Plotly.toImage`.
 * Throws BrowserNotFoundError, saying how to install Chromium, when there is none.
 */
export async function renderPngs(items: ReadonlyArray<{ figure: PlotlyFigure; file: string }>, options: PngOptions = {}): Promise<void> {
  if (items.length === 0) return;
  await withBrowserPage(options, async (page) => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.setContent(htmlPage("render", RENDER_HELPER));
    for (const { figure, file } of items) {
      const width = typeof figure.layout.width === "number" ? figure.layout.width : (options.width ?? 900);
      const height = typeof figure.layout.height === "number" ? figure.layout.height : (options.height ?? 500);
      const call = `window.shoalRender(${figureJson(figure)}, ${width}, ${height}, ${options.scale ?? 1})`;
      const dataUrl = await page.evaluate(call).catch((error: unknown) => {
        throw new BrowserLaunchError(`Chromium could not render ${path.basename(file)}: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      });
      if (typeof dataUrl !== "string" || !dataUrl.startsWith("data:image/png;base64,")) {
        throw new BrowserLaunchError(`Chromium returned no PNG for ${path.basename(file)}${errors.length > 0 ? `: ${errors.join("; ")}` : ""}.`);
      }
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, Buffer.from(dataUrl.slice("data:image/png;base64,".length), "base64"));
    }
  });
}

/** Renders one figure to a PNG file; see renderPngs. */
export async function renderPng(figure: PlotlyFigure, file: string, options: PngOptions = {}): Promise<void> {
  await renderPngs([{ figure, file }], options);
}
