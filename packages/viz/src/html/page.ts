import type { PlotlyFigure } from "../figure.js";
import { figureJson } from "./figure-json.js";
import { plotlyBundle } from "./plotly-bundle.js";

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * A plot's container and the JSON it is drawn from (the page's draw script draws every one).
 * `json` is the figure already serialised by `figureJson`, when the caller has it.
 */
export function plotBlock(id: string, figure: PlotlyFigure, style = "", json = figureJson(figure)): string {
  return (
    `<div class="shoal-plot" id="${escapeHtml(id)}" style="${escapeHtml(style)}"></div>\n` +
    `<script type="application/json" class="shoal-figure" data-target="${escapeHtml(id)}">${json}</script>\n`
  );
}

/**
 * Draws every plot block. Plots are drawn one after another (each waits for the last), so a big
 * report does not freeze the tab; when all are drawn, `document.body.dataset.plotsReady` is set,
 * which tests and the PNG renderer wait for.
 */
const DRAW_SCRIPT = `<script>
(async () => {
  const config = { responsive: true, displaylogo: false };
  for (const el of document.querySelectorAll("script.shoal-figure")) {
    const figure = JSON.parse(el.textContent);
    const target = document.getElementById(el.dataset.target);
    await Plotly.newPlot(target, figure.data, figure.layout, config);
  }
  document.body.dataset.plotsReady = "true";
})().catch((error) => {
  console.error(error);
  document.body.dataset.plotsReady = "error";
});
</script>`;

/** A complete HTML document with plotly inlined, so it opens offline and from a file. */
export function htmlPage(title: string, body: string, css = ""): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: "Open Sans", verdana, arial, sans-serif; color: #2a3f5f; margin: 0; padding: 16px; }
${css}
</style>
<script>${plotlyBundle()}</script>
</head>
<body>
${body}
${DRAW_SCRIPT}
</body>
</html>
`;
}
