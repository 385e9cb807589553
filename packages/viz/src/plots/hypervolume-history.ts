import { dominates, hypervolume, isFeasible, toLosses, TrialState, type FrozenTrial, type Losses, type StudyView } from "@shoal/core";
import { PlotOptionError, SingleObjectiveStudyError } from "../errors.js";
import { makeFigure, messageFigure, type PlotlyFigure } from "../figure.js";

export const HYPERVOLUME_HISTORY_TITLE = "Hypervolume History Plot";

const PLOT = "plotHypervolumeHistory";

/**
 * The hypervolume of the Pareto front of the feasible COMPLETE trials after each COMPLETE trial,
 * by trial number, as Optuna's `plot_hypervolume_history`. `referencePoint` is in the
 * objectives' own terms (one value per objective, as `trial.values`): worse than the front in
 * every objective, i.e. above it for a minimised objective and below it for a maximised one. As in
 * Optuna, maximised objectives are negated (values and reference point) so that everything is
 * minimised for the hypervolume; an infeasible or dominated trial repeats the previous value.
 *
 * The hypervolume is recomputed only when the front changes, so a long study costs about one
 * front's hypervolume per improving trial. Throws SingleObjectiveStudyError on a single-objective
 * study and PlotOptionError (`referencePoint`) when it does not hold one finite number per objective.
 */
export function plotHypervolumeHistory(study: StudyView, referencePoint: readonly number[]): PlotlyFigure {
  const directions = study.directions;
  if (directions.length < 2) throw new SingleObjectiveStudyError(PLOT, study.studyName, "plotOptimizationHistory");
  if (referencePoint.length !== directions.length) {
    throw new PlotOptionError(
      PLOT,
      "referencePoint",
      `has ${referencePoint.length} ${referencePoint.length === 1 ? "number" : "numbers"}, and study "${study.studyName}" has ${directions.length} objectives (${directions.join(", ")}): give one per objective.`,
    );
  }
  const bad = referencePoint.findIndex((r) => !Number.isFinite(r));
  if (bad >= 0) throw new PlotOptionError(PLOT, "referencePoint", `must hold finite numbers; entry ${bad} is ${String(referencePoint[bad])}.`);

  const complete = study.getTrials({ states: [TrialState.COMPLETE] }).filter((t) => t.values !== null && t.values.length === directions.length);
  if (complete.length === 0) {
    return messageFigure(HYPERVOLUME_HISTORY_TITLE, `Study "${study.studyName}" has no completed trials yet: nothing to plot.`);
  }
  const { numbers, volumes } = hypervolumeHistory(complete, directions, referencePoint);
  const notes = complete.some(isFeasible) ? [] : ["no completed trial is feasible, so the hypervolume stays 0"];
  return makeFigure(
    HYPERVOLUME_HISTORY_TITLE,
    [{ type: "scatter", mode: "lines+markers", name: "Hypervolume", x: numbers, y: volumes }],
    { xaxis: { title: { text: "Trial" } }, yaxis: { title: { text: "Hypervolume" } }, showlegend: false },
    notes,
  );
}

/** The hypervolume after each of `trials` (COMPLETE, in number order), Optuna's loop: the front kept as it grows. */
export function hypervolumeHistory(
  trials: readonly FrozenTrial[],
  directions: readonly ("minimize" | "maximize")[],
  referencePoint: readonly number[],
): { numbers: number[]; volumes: number[] } {
  const reference = toLosses(referencePoint, directions);
  const numbers: number[] = [];
  const volumes: number[] = [];
  let front: Losses[] = [];
  let volume = 0;
  for (const trial of trials) {
    numbers.push(trial.number);
    const losses = toLosses(trial.values as readonly number[], directions);
    if (isFeasible(trial) && !front.some((p) => dominates(p, losses))) {
      front = front.filter((p) => !dominates(losses, p));
      front.push(losses);
      volume = hypervolume(front, reference);
    }
    volumes.push(volume);
  }
  return { numbers, volumes };
}

/**
 * The reference point the report uses when none is given, in the objectives' own terms: per
 * objective, the worst value among the feasible COMPLETE trials, moved 10% of that objective's
 * range (best to worst) further away from the front; 10% of the value itself when the range is
 * 0, and 1 when the value is 0 too. Every feasible trial then lies strictly inside it, so each
 * one on the front adds volume. Optuna's samplers take a similar nadir-based point (the worst
 * losses times 1.1); the range makes this one independent of where the objectives' zero is.
 * Null when no COMPLETE trial is feasible (trials with an infinite value are not counted).
 */
export function defaultReferencePoint(study: StudyView): number[] | null {
  const directions = study.directions;
  const losses = study
    .getTrials({ states: [TrialState.COMPLETE] })
    // An infinite value would put the reference point at infinity, and every volume with it.
    .filter((t) => t.values !== null && t.values.length === directions.length && t.values.every(Number.isFinite) && isFeasible(t))
    .map((t) => toLosses(t.values as readonly number[], directions));
  if (losses.length === 0) return null;
  const reference = directions.map((_, i) => {
    let best = Number.POSITIVE_INFINITY;
    let worst = Number.NEGATIVE_INFINITY;
    for (const p of losses) {
      const x = p[i] as number;
      if (x < best) best = x;
      if (x > worst) worst = x;
    }
    const range = worst - best;
    const margin = range > 0 ? 0.1 * range : worst !== 0 ? 0.1 * Math.abs(worst) : 1;
    return worst + margin;
  });
  // Back from losses to values: a maximised objective's reference point lies below its values.
  return toLosses(reference, directions);
}
