/**
 * The life of a trial, as in Optuna.
 *
 * - WAITING: enqueued with `enqueueTrial`, not yet asked for; the next `ask` takes it.
 * - RUNNING: asked for; the objective is being evaluated.
 * - COMPLETE: the objective returned a finite number, stored as `value`.
 * - PRUNED: stopped early by a pruner (`throw new TrialPruned()`); `value` is the last reported one.
 * - FAIL: the objective threw, returned a non-finite or non-number value, timed out or crashed.
 *
 * COMPLETE, PRUNED and FAIL are final: a finished trial never changes state again.
 */
export const TrialState = {
  RUNNING: "RUNNING",
  COMPLETE: "COMPLETE",
  PRUNED: "PRUNED",
  FAIL: "FAIL",
  WAITING: "WAITING",
} as const;
export type TrialState = (typeof TrialState)[keyof typeof TrialState];

/** True for COMPLETE, PRUNED and FAIL. */
export function isFinished(state: TrialState): boolean {
  return state === TrialState.COMPLETE || state === TrialState.PRUNED || state === TrialState.FAIL;
}
