import { InvalidOptionError } from "./errors.js";
import type { FrozenTrial } from "./frozen-trial.js";
import { constraintViolation } from "./multi-objective/dominance.js";
import type { StudyView } from "./study-view.js";
import { TrialState } from "./trial-state.js";

/** The system attr holding a trial's constraint values (Optuna's key); each value <= 0 holds. */
export const CONSTRAINTS_ATTR = "constraints";

/** A sampler option: a trial's constraint values, each <= 0 when it holds (Optuna's `constraints_func`). */
export type ConstraintsFunc = (trial: FrozenTrial) => readonly number[];

/** Whether a trial's constraints (the `constraints` system attr, when set) all hold (value <= 0). */
export function isFeasible(trial: FrozenTrial): boolean {
  const constraints = trial.systemAttrs[CONSTRAINTS_ATTR];
  return !Array.isArray(constraints) || constraints.every((c) => typeof c === "number" && c <= 0);
}

/**
 * A trial's total violation (sum of the positive constraint values) for a sampler that has a
 * constraints function: a trial without constraint values counts as infeasible (Infinity), as in
 * Optuna, since nothing says it holds.
 */
export function trialViolation(trial: FrozenTrial): number {
  const c = trial.systemAttrs[CONSTRAINTS_ATTR];
  return Array.isArray(c) ? constraintViolation(c as number[]) : Number.POSITIVE_INFINITY;
}

/**
 * A sampler's afterTrial step for `constraintsFunc`: as Optuna, the values of a COMPLETE or
 * PRUNED trial are computed and stored as its `constraints` system attr, before its state is,
 * so the storage never counts an infeasible trial as the best one.
 */
export function recordConstraints(study: StudyView, trial: FrozenTrial, state: TrialState, constraintsFunc: ConstraintsFunc | undefined): void {
  if (constraintsFunc === undefined || (state !== TrialState.COMPLETE && state !== TrialState.PRUNED)) return;
  const values = [...constraintsFunc(trial)];
  if (values.some((v) => typeof v !== "number" || Number.isNaN(v))) {
    throw new InvalidOptionError("constraintsFunc", `must return an array of numbers (NaN is not a constraint value), got ${JSON.stringify(values)} for trial ${trial.number}`);
  }
  study.setTrialSystemAttr?.(trial.trialId, CONSTRAINTS_ATTR, values);
}
