import { CONSTRAINTS_ATTR, isFeasible, paretoFrontTrials, TrialState, type FrozenTrial, type StudyView } from "@shoal/core";
import { PlotOptionError, SingleObjectiveStudyError } from "../errors.js";
import { COLOR_SCALE, makeFigure, messageFigure, RED_SCALE, SCENE_AXIS, type PlotlyFigure, type PlotlyTrace } from "../figure.js";
import { escapeHtml } from "../html/page.js";

/** Options of plotParetoFront. */
export interface ParetoFrontOptions {
  /** The axis titles, one per plotted number, in the objectives' order. @default "Objective 0", "Objective 1", ... */
  targetNames?: readonly string[];
  /** Also plot the feasible trials off the front (coloured by trial number, in blue). @default true */
  includeDominatedTrials?: boolean;
  /**
   * Which objective goes on which axis: `[1, 0]` puts objective 1 on x. A permutation of the
   * objectives; not with `targets`, which can order its numbers itself. @default [0, 1] or [0, 1, 2]
   */
  axisOrder?: readonly number[];
  /**
   * The 2 or 3 numbers to plot for a trial, e.g. `(t) => [t.values![0]!, t.values![2]!]`: how to
   * pick objectives, and required past three objectives. Which trials are on the front is still
   * decided by all of the study's objectives (as Optuna's `targets`). @default the trial's values
   */
  targets?: (trial: FrozenTrial) => readonly number[];
}

export const PARETO_FRONT_TITLE = "Pareto-front Plot";

const PLOT = "plotParetoFront";

/**
 * The COMPLETE trials of a multi-objective study in objective space, as Optuna's
 * `plot_pareto_front`: a scatter for two objectives, a 3-D scatter (scatter3d) for three. The
 * front (`study.bestTrials`: feasible and non-dominated) is in reds, the other feasible trials in
 * blues, both coloured by trial number; infeasible trials (a `constraints` system attr with a
 * value > 0) in grey. Hovering a point shows its trial number, values and parameters.
 *
 * Throws SingleObjectiveStudyError on a single-objective study, and PlotOptionError naming the
 * option when there are more than three objectives and no `targets`, or when `targetNames`,
 * `axisOrder` or what `targets` returns does not fit the number of plotted objectives.
 */
export function plotParetoFront(study: StudyView, options: ParetoFrontOptions = {}): PlotlyFigure {
  const directions = study.directions;
  if (directions.length < 2) throw new SingleObjectiveStudyError(PLOT, study.studyName, "plotOptimizationHistory");
  if (options.targets !== undefined && options.axisOrder !== undefined) {
    throw new PlotOptionError(PLOT, "axisOrder", "cannot be combined with `targets`: return the numbers from `targets` in the order to plot them.");
  }
  if (options.targets === undefined && directions.length > 3) {
    throw new PlotOptionError(
      PLOT,
      "targets",
      `is needed: study "${study.studyName}" has ${directions.length} objectives and a Pareto-front plot draws 2 or 3; ` +
        "pick them with e.g. `targets: (t) => [t.values![0]!, t.values![1]!]`.",
    );
  }
  const complete = study.getTrials({ states: [TrialState.COMPLETE] }).filter((t) => t.values !== null && t.values.length === directions.length);
  if (complete.length === 0) {
    return messageFigure(PARETO_FRONT_TITLE, `Study "${study.studyName}" has no completed trials yet: nothing to plot.`);
  }

  const front = paretoFrontTrials(complete, directions);
  const onFront = new Set(front);
  const feasible = complete.filter(isFeasible);
  const infeasible = complete.filter((t) => !isFeasible(t));
  const includeDominated = options.includeDominatedTrials ?? true;
  const dominated = includeDominated ? feasible.filter((t) => !onFront.has(t)) : [];
  // As Optuna: the grey trace is there whenever the study records constraints at all.
  const hasConstraints = complete.some((t) => t.systemAttrs[CONSTRAINTS_ATTR] !== undefined);

  const plotted = plottedValues(complete, options.targets);
  const n = options.targets === undefined ? directions.length : (plotted.get(complete[0]!) as readonly number[]).length;
  const names = targetNames(options.targetNames, n);
  const order = axisOrder(options.axisOrder, n);
  const axes = order.map((i) => names[i] as string);

  const data: PlotlyTrace[] = [];
  if (includeDominated) {
    data.push(
      scatter(n, "Trial", dominated, plotted, order, {
        line: { width: 0.5, color: "Grey" },
        color: dominated.map((t) => t.number),
        colorscale: COLOR_SCALE,
        // A colour bar over no trials would show a meaningless 0..1 scale.
        showscale: dominated.length > 0,
        colorbar: { title: { text: "Trial" } },
      }),
    );
  }
  data.push(
    scatter(n, "Best Trial", front, plotted, order, {
      line: { width: 0.5, color: "Grey" },
      color: front.map((t) => t.number),
      colorscale: RED_SCALE,
      showscale: front.length > 0,
      // Beside the "Trial" colour bar when that one is drawn.
      colorbar: { title: { text: "Best Trial" }, x: includeDominated && dominated.length > 0 ? 1.1 : 1, xpad: 40 },
    }),
  );
  if (hasConstraints) data.push(scatter(n, "Infeasible Trial", infeasible, plotted, order, { color: "#cccccc" }));

  const notes = feasible.length === 0 ? ["no completed trial is feasible, so there is no front"] : [];
  const layout: Record<string, unknown> =
    n === 2
      ? { xaxis: { title: { text: axes[0] } }, yaxis: { title: { text: axes[1] } }, showlegend: false }
      : {
          scene: {
            xaxis: { ...SCENE_AXIS, title: { text: axes[0] } },
            yaxis: { ...SCENE_AXIS, title: { text: axes[1] } },
            zaxis: { ...SCENE_AXIS, title: { text: axes[2] } },
          },
          showlegend: false,
        };
  return makeFigure(PARETO_FRONT_TITLE, data, layout, notes);
}

/** Each trial's plotted numbers: its values, or what `targets` returns (checked: 2 or 3 numbers, the same count for every trial). */
function plottedValues(trials: readonly FrozenTrial[], targets: ParetoFrontOptions["targets"]): Map<FrozenTrial, readonly number[]> {
  const out = new Map<FrozenTrial, readonly number[]>();
  let count: number | undefined;
  for (const t of trials) {
    const v = targets === undefined ? (t.values as readonly number[]) : targets(t);
    if (targets !== undefined) {
      if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) {
        throw new PlotOptionError(PLOT, "targets", `must return an array of 2 or 3 numbers; for trial ${t.number} it returned ${describe(v)}.`);
      }
      if (v.length !== 2 && v.length !== 3) {
        throw new PlotOptionError(PLOT, "targets", `must return 2 or 3 numbers (a 2-D or 3-D plot); for trial ${t.number} it returned ${v.length}.`);
      }
      if (count !== undefined && v.length !== count) {
        throw new PlotOptionError(PLOT, "targets", `must return as many numbers for every trial; it returned ${count} before and ${v.length} for trial ${t.number}.`);
      }
      count = v.length;
    }
    out.set(t, v);
  }
  return out;
}

function targetNames(given: readonly string[] | undefined, n: number): readonly string[] {
  if (given === undefined) return Array.from({ length: n }, (_, i) => `Objective ${i}`);
  if (given.length !== n) {
    throw new PlotOptionError(PLOT, "targetNames", `has ${given.length} names, and the plot has ${n} objectives: give one name per objective, in the objectives' order.`);
  }
  return given;
}

function axisOrder(given: readonly number[] | undefined, n: number): readonly number[] {
  if (given === undefined) return Array.from({ length: n }, (_, i) => i);
  const sorted = [...given].sort((a, b) => a - b);
  if (given.length !== n || sorted.some((v, i) => v !== i)) {
    throw new PlotOptionError(
      PLOT,
      "axisOrder",
      `must be a permutation of the objectives' indices ${Array.from({ length: n }, (_, i) => i).join(", ")} (one per axis, each once); got [${given.join(", ")}].`,
    );
  }
  return given;
}

/** One trace of trials: a scatter (2 numbers) or scatter3d (3), with the trial's details on hover. */
function scatter(
  n: number,
  name: string,
  trials: readonly FrozenTrial[],
  plotted: ReadonlyMap<FrozenTrial, readonly number[]>,
  order: readonly number[],
  marker: Record<string, unknown>,
): PlotlyTrace {
  const coordinate = (axis: number) => trials.map((t) => (plotted.get(t) as readonly number[])[order[axis] as number]);
  return {
    type: n === 2 ? "scatter" : "scatter3d",
    mode: "markers",
    name,
    x: coordinate(0),
    y: coordinate(1),
    ...(n === 3 ? { z: coordinate(2) } : {}),
    text: trials.map(hoverText),
    hovertemplate: `%{text}<extra>${name}</extra>`,
    marker,
    showlegend: false,
  };
}

/** Trial number, values, parameters (and constraints when it has them), one per line. Names and choices are user text: escaped. */
function hoverText(trial: FrozenTrial): string {
  const lines = [`Trial ${trial.number}`, `values: [${(trial.values ?? []).join(", ")}]`];
  for (const [name, value] of Object.entries(trial.params)) lines.push(`${escapeHtml(name)}: ${escapeHtml(typeof value === "string" ? JSON.stringify(value) : String(value))}`);
  const constraints = trial.systemAttrs[CONSTRAINTS_ATTR];
  if (Array.isArray(constraints)) lines.push(`constraints: [${constraints.join(", ")}]${isFeasible(trial) ? "" : " (infeasible)"}`);
  return lines.join("<br>");
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === "number" ? String(x) : JSON.stringify(x) ?? typeof x)).join(", ")}]`;
  return v === null ? "null" : typeof v;
}
