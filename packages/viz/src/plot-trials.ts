import { TrialState, type Distribution, type FrozenTrial, type StudyView } from "@shoal/core";
import { UnknownParamError } from "./errors.js";

/** What a plot shows on its value axis. */
export interface TargetOptions {
  /** The number to plot for a trial; its objective value by default. */
  target?: ((trial: FrozenTrial) => number) | undefined;
  /** The axis and colour bar label. @default "Objective Value" */
  targetName?: string | undefined;
}

/** A completed trial and the number a plot shows for it. */
export interface TargetedTrial {
  readonly trial: FrozenTrial;
  readonly value: number;
}

export const DEFAULT_TARGET_NAME = "Objective Value";

/** The COMPLETE trials whose target is a finite number, in number order. */
export function completedWithTarget(study: StudyView, options: TargetOptions = {}): TargetedTrial[] {
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
 * is a custom one (its direction is unknown, so small values are assumed to matter).
 */
export function reverseScale(study: StudyView, options: TargetOptions): boolean {
  return options.target !== undefined || study.direction === "minimize";
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
