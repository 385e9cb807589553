import { isBetter, TrialState, type FrozenTrial, type StudyView } from "@shoal/core";
import { evenSample, sampleNote } from "../downsample.js";
import { makeFigure, messageFigure, type PlotlyFigure, type PlotlyTrace } from "../figure.js";

/** Options of plotIntermediateValues. */
export interface IntermediateValuesOptions {
  /**
   * Up to this many trials, each is its own line (Optuna's look). Past it, trials are drawn as one
   * line per state, so the browser draws a handful of traces rather than thousands. @default 50
   */
  maxTraces?: number;
  /** At most this many trials' curves (evenly spread, the best kept). @default 500 */
  maxTrials?: number;
}

export const INTERMEDIATE_VALUES_TITLE = "Intermediate Values Plot";

const STATE_COLORS: Partial<Record<TrialState, string>> = {
  [TrialState.COMPLETE]: "#636efa",
  [TrialState.PRUNED]: "#FFA15A",
  [TrialState.RUNNING]: "#00cc96",
};

/**
 * The values trials reported with `trial.report(value, step)`, one curve per trial, as Optuna's
 * `plot_intermediate_values` (COMPLETE, PRUNED and RUNNING trials). Shows how the pruner cut
 * trials short. A study where no trial reported gets a message.
 */
export function plotIntermediateValues(study: StudyView, options: IntermediateValuesOptions = {}): PlotlyFigure {
  const reporting = study
    .getTrials({ states: [TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING] })
    .filter((t) => Object.keys(t.intermediateValues).length > 0);
  if (reporting.length === 0) {
    return messageFigure(
      INTERMEDIATE_VALUES_TITLE,
      `No trial of study "${study.studyName}" reported intermediate values (trial.report(value, step)).`,
    );
  }
  // The best trial is kept when sampling; a multi-objective study has no single best (and its
  // trials' `value` is null), so there nothing is singled out.
  const complete = study.directions.length === 1 ? reporting.filter((t) => t.state === TrialState.COMPLETE && t.value !== null) : [];
  const best = complete.length === 0 ? null : complete.reduce((a, b) => (isBetter(study.direction, b.value as number, a.value as number) ? b : a));
  const shown = evenSample(reporting, options.maxTrials ?? 500, (t) => t === best);
  const note = sampleNote(shown.length, reporting.length);
  const layout = { xaxis: { title: { text: "Step" } }, yaxis: { title: { text: "Intermediate Value" } } };

  if (shown.length <= (options.maxTraces ?? 50)) {
    const data: PlotlyTrace[] = shown.map((t) => {
      const { steps, values } = curve(t);
      return { type: "scatter", mode: "lines+markers", name: `Trial${t.number}`, x: steps, y: values, marker: { maxdisplayed: 10 } };
    });
    return makeFigure(INTERMEDIATE_VALUES_TITLE, data, { ...layout, showlegend: false }, note === null ? [] : [note]);
  }

  // One trace per state, the trials' curves separated by nulls (plotly breaks the line there).
  const data: PlotlyTrace[] = [];
  for (const state of [TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING]) {
    const x: Array<number | null> = [];
    const y: Array<number | null> = [];
    const number: Array<number | null> = [];
    for (const t of shown) {
      if (t.state !== state) continue;
      const { steps, values } = curve(t);
      x.push(...steps, null);
      y.push(...values, null);
      number.push(...steps.map(() => t.number), null);
    }
    if (x.length === 0) continue;
    data.push({
      type: "scatter",
      mode: "lines",
      name: stateLabel(state),
      x,
      y,
      customdata: number,
      connectgaps: false,
      line: { width: 1, color: STATE_COLORS[state] },
      opacity: 0.6,
      hovertemplate: "Trial %{customdata}<br>step %{x}: %{y}<extra></extra>",
    });
  }
  return makeFigure(INTERMEDIATE_VALUES_TITLE, data, { ...layout, showlegend: true }, note === null ? [] : [note]);
}

/** A trial's reported values in step order. */
function curve(trial: FrozenTrial): { steps: number[]; values: number[] } {
  const steps = Object.keys(trial.intermediateValues)
    .map(Number)
    .sort((a, b) => a - b);
  return { steps, values: steps.map((s) => trial.intermediateValues[s] as number) };
}

function stateLabel(state: TrialState): string {
  return state.charAt(0) + state.slice(1).toLowerCase();
}
