import { TrialState, type Distribution, type FrozenTrial, type StudyDirection, type StudyView } from "@shoal/core";
import { TargetRequiredError, UnknownParamError } from "./errors.js";

/** What a plot shows on its value axis. */
export interface TargetOptions {
  /** The number to plot for a trial; its objective value by default. */
  target?: ((trial: FrozenTrial) => number) | undefined;
  /** The axis and colour bar label. @default "Objective Value" */
  targetName?: string | undefined;
  /**
   * Whether `target` is to be minimised or maximised, when that is known (objective i of a
   * multi-objective study: `study.directions[i]`). It gives a custom target what the study's own
   * objective has: the "Best Value" line, the best trial kept when sampling, the colour scale's
   * sense. Without it, a custom target's direction is unknown and small values are taken as good,
   * as in Optuna. Ignored without `target`.
   */
  targetDirection?: StudyDirection | undefined;
}

/** A completed trial and the number a plot shows for it. */
export interface TargetedTrial {
  readonly trial: FrozenTrial;
  readonly value: number;
}

export const DEFAULT_TARGET_NAME = "Objective Value";

/**
 * Throws TargetRequiredError when `plot` (a plot of one value per trial) is given a
 * multi-objective study without `target`: a trial's `value` is null there, so the plot would
 * otherwise say "no completed trials" about a study full of them.
 */
export function checkTarget(study: StudyView, options: TargetOptions, plot: string): void {
  if (options.target === undefined && study.directions.length > 1) throw new TargetRequiredError(plot, study.studyName, study.directions.length);
}

/**
 * The direction in which the plotted number improves: `targetDirection` for a custom target when
 * given, else the study's own direction when it has one, else "minimize" (a custom target on a
 * multi-objective study, its direction unknown: small values are taken as good, as the colour
 * scale does). Never reads `study.direction` on a multi-objective study, where it throws.
 */
export function targetDirection(study: StudyView, options: TargetOptions): StudyDirection {
  if (options.target !== undefined && options.targetDirection !== undefined) return options.targetDirection;
  return study.directions.length === 1 ? study.direction : "minimize";
}

/**
 * The COMPLETE trials whose target is a finite number, in number order. `plot` names the caller
 * in the error a multi-objective study without `target` gets (see checkTarget).
 */
export function completedWithTarget(study: StudyView, options: TargetOptions, plot: string): TargetedTrial[] {
  checkTarget(study, options, plot);
  const target = options.target ?? ((t: FrozenTrial) => t.value as number);
  const out: TargetedTrial[] = [];
  for (const trial of study.getTrials({ states: [TrialState.COMPLETE] })) {
    const value = target(trial);
    if (Number.isFinite(value)) out.push({ trial, value });
  }
  return out;
}

/**
 * Optuna's rule for the colour scale: dark is good. Reversed when minimising, and when the target
 * is a custom one of unknown direction (small values are assumed to matter); a custom target
 * with `targetDirection` follows that direction.
 */
export function reverseScale(study: StudyView, options: TargetOptions): boolean {
  if (options.target !== undefined && options.targetDirection === undefined) return true;
  return targetDirection(study, options) === "minimize";
}

/** The parameters to plot: `params` as given (each must exist), else all of the trials' params, sorted. */
export function selectParams(trials: readonly FrozenTrial[], params?: readonly string[]): string[] {
  const known = new Set<string>();
  for (const t of trials) for (const name of Object.keys(t.params)) known.add(name);
  if (params === undefined) return [...known].sort();
  for (const p of params) if (!known.has(p)) throw new UnknownParamError(p, [...known].sort());
  return [...new Set(params)];
}

/** The distribution of `name` in the most recent trial that has it. */
export function findDistribution(trials: readonly FrozenTrial[], name: string): Distribution | undefined {
  for (let i = trials.length - 1; i >= 0; i--) {
    const d = (trials[i] as FrozenTrial).distributions[name];
    if (d !== undefined) return d;
  }
  return undefined;
}

/** The distribution of `name` in the most recent trial that has it; the param must exist. */
export function paramDistribution(trials: readonly FrozenTrial[], name: string): Distribution {
  const d = findDistribution(trials, name);
  if (d === undefined) throw new UnknownParamError(name, []);
  return d;
}

/** How many distinct values `name` takes in the trials, and the first of them. */
export function distinctValues(trials: readonly FrozenTrial[], name: string): { count: number; first: unknown } {
  const seen = new Set<unknown>();
  let first: unknown;
  for (const t of trials) {
    if (!(name in t.params)) continue;
    const v = t.params[name];
    if (seen.size === 0) first = v;
    seen.add(v);
  }
  return { count: seen.size, first };
}
