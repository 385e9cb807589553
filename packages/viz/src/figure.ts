/**
 * A plotly figure as plain JSON: what `Plotly.newPlot(div, data, layout)` takes. Typed loosely on
 * purpose: plotly's schema is huge, and these objects only travel to the browser as JSON.
 */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: PlotlyLayout;
}

/** One trace: `type` (scatter, bar, parcoords, contour) and that type's attributes. */
export type PlotlyTrace = { type: string } & Record<string, unknown>;

/** The figure's layout: title, axes (xaxis, xaxis2, ...), annotations, template. */
export type PlotlyLayout = { title: { text: string; subtitle?: { text: string } } } & Record<string, unknown>;

/** Optuna's colour scale for objective values and trial numbers (ColorBrewer Blues). */
export const COLOR_SCALE: ReadonlyArray<readonly [number, string]> = [
  [0, "rgb(247,251,255)"],
  [0.125, "rgb(222,235,247)"],
  [0.25, "rgb(198,219,239)"],
  [0.375, "rgb(158,202,225)"],
  [0.5, "rgb(107,174,214)"],
  [0.625, "rgb(66,146,198)"],
  [0.75, "rgb(33,113,181)"],
  [0.875, "rgb(8,81,156)"],
  [1, "rgb(8,48,107)"],
];

/** Optuna's colour scale for the Pareto front's best trials (ColorBrewer Reds, Python plotly's "Reds"). */
export const RED_SCALE: ReadonlyArray<readonly [number, string]> = [
  [0, "rgb(255,245,240)"],
  [0.125, "rgb(254,224,210)"],
  [0.25, "rgb(252,187,161)"],
  [0.375, "rgb(252,146,114)"],
  [0.5, "rgb(251,106,74)"],
  [0.625, "rgb(239,59,44)"],
  [0.75, "rgb(203,24,29)"],
  [0.875, "rgb(165,15,21)"],
  [1, "rgb(103,0,13)"],
];

const AXIS = {
  automargin: true,
  gridcolor: "white",
  linecolor: "white",
  ticks: "",
  title: { standoff: 15 },
  zerolinecolor: "white",
  zerolinewidth: 2,
};

/** A 3-D scene axis as Python plotly's template draws it (plot_bgcolor does not reach a scene). */
export const SCENE_AXIS = {
  backgroundcolor: "#E5ECF6",
  gridcolor: "white",
  gridwidth: 2,
  linecolor: "white",
  showbackground: true,
  ticks: "",
  zerolinecolor: "white",
} as const;

/**
 * The parts of Python plotly's default "plotly" template that give Optuna's figures their look
 * (blue-grey plot area, white grid, the plotly colourway); plotly.js's own default is plain white.
 */
export const OPTUNA_TEMPLATE = {
  layout: {
    colorway: ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52"],
    font: { color: "#2a3f5f" },
    hovermode: "closest",
    hoverlabel: { align: "left" },
    paper_bgcolor: "white",
    plot_bgcolor: "#E5ECF6",
    title: { x: 0.05 },
    xaxis: AXIS,
    yaxis: AXIS,
  },
} as const;

/** A figure with Optuna's template, `title`, an optional subtitle (notes on what is left out) and the layout. */
export function makeFigure(title: string, data: PlotlyTrace[], layout: Record<string, unknown>, notes: readonly string[] = []): PlotlyFigure {
  const titleLayout = notes.length > 0 ? { text: title, subtitle: { text: notes.join("; ") } } : { text: title };
  return { data, layout: { template: OPTUNA_TEMPLATE, ...layout, title: titleLayout } };
}

/**
 * A figure that says why there is nothing to plot (no completed trials, a parameter with one
 * value) instead of empty axes: the message sits in the middle, the axes are hidden.
 */
export function messageFigure(title: string, message: string): PlotlyFigure {
  return {
    data: [],
    layout: {
      template: OPTUNA_TEMPLATE,
      title: { text: title },
      meta: { message },
      xaxis: { visible: false },
      yaxis: { visible: false },
      annotations: [{ text: message, xref: "paper", yref: "paper", x: 0.5, y: 0.5, showarrow: false, font: { size: 16 } }],
    },
  };
}

/** The message of a figure made by `messageFigure`, or null for a figure with data. */
export function figureMessage(figure: PlotlyFigure): string | null {
  const meta = figure.layout.meta as { message?: unknown } | undefined;
  return typeof meta?.message === "string" ? meta.message : null;
}
