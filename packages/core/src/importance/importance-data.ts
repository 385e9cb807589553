import { distributionsEqual, isSingle, toInternal, type Distribution } from "../distributions.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { StudyView } from "../study-view.js";
import { TrialState } from "../trial-state.js";
import { ImportanceError } from "./importance-error.js";

/** Which trials and parameters an evaluator looks at. */
export interface ImportanceTarget {
  /** Parameters to assess; by default every parameter that all completed trials share. */
  params?: readonly string[] | undefined;
  /** The number to explain; by default the trial's objective value. */
  target?: ((trial: FrozenTrial) => number) | undefined;
}

/**
 * Completed trials as a design matrix for the forest. Each feature is one parameter on the scale
 * its sampler explores: log parameters as log(value), categorical ones as the choice's index.
 */
export interface ImportanceData {
  /** Parameters that can vary, in name order; one feature each. */
  readonly names: readonly string[];
  /** Parameters whose distribution has a single value: their importance is 0 by definition. */
  readonly singleNames: readonly string[];
  /** features[f][i]: parameter `names[f]` of trial i. */
  readonly features: readonly Float64Array[];
  /** The target value of each trial. */
  readonly targets: Float64Array;
  /** The domain of each feature, [low, high]: the measure fANOVA integrates over. */
  readonly bounds: ReadonlyArray<readonly [number, number]>;
}

/** Gathers the completed trials and their shared search space, as Optuna's `_before_evaluate`. */
export function prepareImportanceData(study: StudyView, options: ImportanceTarget = {}): ImportanceData {
  const target = options.target ?? ((t: FrozenTrial) => t.value as number);
  const completed = study.getTrials({ states: [TrialState.COMPLETE] });
  if (completed.length === 0) {
    throw new ImportanceError(`Study "${study.studyName}" has no completed trials: importances need at least two.`);
  }
  if (completed.length === 1) {
    throw new ImportanceError(`Study "${study.studyName}" has one completed trial: importances need at least two.`);
  }
  const space = options.params === undefined ? intersectionSpace(completed) : requestedSpace(completed, options.params);
  const names = Object.keys(space).sort();
  const trials = completed.filter((t) => names.every((n) => n in t.params) && Number.isFinite(target(t)));
  if (trials.length < 2) {
    throw new ImportanceError(
      `Study "${study.studyName}" has ${trials.length} completed trial(s) with a finite target and all of ${JSON.stringify(names)}: importances need at least two.`,
    );
  }
  const varying = names.filter((n) => !isSingle(space[n] as Distribution));
  const singleNames = names.filter((n) => isSingle(space[n] as Distribution));
  const features = varying.map((name) => {
    const d = space[name] as Distribution;
    return Float64Array.from(trials, (t) => toFeature(d, toInternal(d, t.params[name] ?? null)));
  });
  const bounds = varying.map((name, f) => widenToData(featureBounds(space[name] as Distribution), features[f] as Float64Array));
  return { names: varying, singleNames, features, targets: Float64Array.from(trials, target), bounds };
}

/** The parameters every completed trial has, with one distribution each (Optuna's intersection). */
function intersectionSpace(trials: readonly FrozenTrial[]): Record<string, Distribution> {
  const first = trials[0] as FrozenTrial;
  const space: Record<string, Distribution> = { ...first.distributions };
  for (const trial of trials) {
    for (const [name, d] of Object.entries(space)) {
      const other = trial.distributions[name];
      if (other === undefined || !distributionsEqual(d, other)) delete space[name];
    }
  }
  return space;
}

/** The named parameters' distributions, from the completed trials that have all of them. */
function requestedSpace(trials: readonly FrozenTrial[], params: readonly string[]): Record<string, Distribution> {
  let space: Record<string, Distribution> | null = null;
  for (const trial of trials) {
    if (!params.every((p) => p in trial.distributions)) continue;
    if (space === null) {
      space = Object.fromEntries(params.map((p) => [p, trial.distributions[p] as Distribution]));
      continue;
    }
    for (const p of params) {
      if (!distributionsEqual(space[p] as Distribution, trial.distributions[p] as Distribution)) {
        throw new ImportanceError(`Parameter "${p}" has different distributions across trials: importances need one search space.`);
      }
    }
  }
  if (space === null) {
    throw new ImportanceError(`No completed trial has all of the parameters ${JSON.stringify(params)}.`);
  }
  return space;
}

function toFeature(d: Distribution, internal: number): number {
  return d.kind !== "categorical" && d.log ? Math.log(internal) : internal;
}

/**
 * A feature's domain. Ints and categorical indices own a unit cell around each value, so every
 * value weighs the same; log ranges are measured in log space, where the sampler is uniform.
 */
function featureBounds(d: Distribution): [number, number] {
  if (d.kind === "categorical") return [-0.5, d.choices.length - 0.5];
  if (d.kind === "int") {
    const half = d.step / 2;
    return d.log ? [Math.log(Math.max(d.low - half, d.low / 2)), Math.log(d.high + half)] : [d.low - half, d.high + half];
  }
  return d.log ? [Math.log(d.low), Math.log(d.high)] : [d.low, d.high];
}

// An enqueued trial may hold a value outside the range; the domain must still contain it.
function widenToData([low, high]: [number, number], values: Float64Array): [number, number] {
  let lo = low;
  let hi = high;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
