import { TrialState, type FrozenTrial, type StudyView } from "@shoal/core";
import { makeFigure, messageFigure, type PlotlyFigure, type PlotlyTrace } from "../figure.js";

/** Options of plotTimeline. */
export interface TimelineOptions {
  /** Where RUNNING trials' bars end. @default the time of the call */
  now?: Date;
}

export const TIMELINE_TITLE = "Timeline Plot";

// Optuna's timeline colours.
const STATE_COLORS: Record<TrialState, string> = {
  COMPLETE: "blue",
  FAIL: "red",
  PRUNED: "orange",
  RUNNING: "green",
  WAITING: "gray",
};

/**
 * When each trial ran, one lane per worker, bars coloured by state: the study's parallelism and
 * its failures at a glance (Optuna's `plot_timeline` has one row per trial instead).
 *
 * A trial's lane is `systemAttrs.worker` when the cluster recorded it. Trials without one (the
 * local executor) are packed into the fewest concurrent slots their start and end times allow,
 * "slot 1", "slot 2", ...; a study that never ran two at once has a single "local" lane.
 * WAITING trials have not started and are left out.
 */
export function plotTimeline(study: StudyView, options: TimelineOptions = {}): PlotlyFigure {
  const now = options.now ?? new Date();
  const started = study.getTrials().filter((t) => t.datetimeStart !== null);
  if (started.length === 0) {
    return messageFigure(TIMELINE_TITLE, `No trial of study "${study.studyName}" has started yet: nothing to plot.`);
  }
  const lanes = assignLanes(started, now);
  const laneOrder = [...new Set(started.map((t) => lanes.get(t) as string))].sort(compareLanes);
  const data: PlotlyTrace[] = [];
  for (const state of [TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL, TrialState.RUNNING]) {
    const trials = started.filter((t) => t.state === state);
    if (trials.length === 0) continue;
    data.push({
      type: "bar",
      orientation: "h",
      name: state,
      base: trials.map((t) => (t.datetimeStart as Date).toISOString()),
      x: trials.map((t) => Math.max(endOf(t, now) - (t.datetimeStart as Date).getTime(), 1)),
      y: trials.map((t) => lanes.get(t) as string),
      customdata: trials.map((t) => t.number),
      marker: { color: STATE_COLORS[state], line: { width: 0.5, color: "white" } },
      hovertemplate: `Trial %{customdata} (${state})<br>%{base} for %{x} ms<br>lane %{y}<extra></extra>`,
    });
  }
  return makeFigure(TIMELINE_TITLE, data, {
    barmode: "overlay",
    bargap: 0.3,
    xaxis: { title: { text: "Datetime" }, type: "date" },
    yaxis: { title: { text: "Worker" }, type: "category", categoryorder: "array", categoryarray: laneOrder, autorange: "reversed" },
    showlegend: true,
  });
}

/** The lane of every started trial: its worker, else a slot among the trials without one. */
export function assignLanes(trials: readonly FrozenTrial[], now: Date): Map<FrozenTrial, string> {
  const lanes = new Map<FrozenTrial, string>();
  const unassigned: FrozenTrial[] = [];
  for (const t of trials) {
    const worker = t.systemAttrs.worker;
    if (typeof worker === "string" && worker.length > 0) lanes.set(t, worker);
    else if (typeof worker === "number") lanes.set(t, String(worker));
    else unassigned.push(t);
  }
  // Interval partitioning: by start time, each trial takes the lowest slot that is free by then.
  const byStart = [...unassigned].sort((a, b) => (a.datetimeStart as Date).getTime() - (b.datetimeStart as Date).getTime() || a.number - b.number);
  const slotFreeAt: number[] = [];
  const slotOf = new Map<FrozenTrial, number>();
  for (const t of byStart) {
    const start = (t.datetimeStart as Date).getTime();
    let slot = slotFreeAt.findIndex((free) => free <= start);
    if (slot < 0) slot = slotFreeAt.push(0) - 1;
    slotFreeAt[slot] = endOf(t, now);
    slotOf.set(t, slot);
  }
  for (const [t, slot] of slotOf) lanes.set(t, slotFreeAt.length === 1 ? "local" : `slot ${slot + 1}`);
  return lanes;
}

function endOf(t: FrozenTrial, now: Date): number {
  return (t.datetimeComplete ?? now).getTime();
}

/** Lanes in natural order: "slot 2" before "slot 10", "worker-2" before "worker-10". */
function compareLanes(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
