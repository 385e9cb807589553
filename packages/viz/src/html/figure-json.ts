import type { PlotlyFigure } from "../figure.js";

/**
 * A figure as JSON safe to place inside `<script type="application/json">`: "<" is escaped so no
 * text in it (a parameter named "</script>") can end the element.
 *
 * Numbers are written with at most 7 significant digits: plotly shows fewer anyway, and it
 * keeps a 10,000-trial report's data to a few MB.
 */
export function figureJson(figure: PlotlyFigure): string {
  return JSON.stringify(figure, roundNumbers).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function roundNumbers(_key: string, value: unknown): unknown {
  if (typeof value !== "number" || Number.isInteger(value) || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(7));
}
