import { describeError, TrialPruned } from "./errors.js";
import { lastStep } from "./frozen-trial.js";
import { pyFloat } from "./python-repr.js";
import { TrialState } from "./trial-state.js";

/** How one objective evaluation ended, before it is judged. */
export type TrialOutcome =
  | { kind: "value"; value: unknown }
  | { kind: "pruned"; message?: string }
  | { kind: "error"; error: unknown }
  /** Failed elsewhere (another process) with a reason already put in words. */
  | { kind: "fail"; reason: string };

/**
 * A trial's end as it is recorded: the state, the value stored with it, and what its log line
 * says. The one rule (`judgeTrialEnd`) makes it; storages, workers and the coordinator pass it on.
 */
export interface TrialEnd {
  readonly state: typeof TrialState.COMPLETE | typeof TrialState.PRUNED | typeof TrialState.FAIL;
  /** COMPLETE: the objective's value; PRUNED: the last finite intermediate value, or null; FAIL: null. */
  readonly value: number | null;
  /** FAIL only: why, in words (stored as the `failReason` system attr). */
  readonly failReason: string | null;
  /** PRUNED only: the TrialPruned message, for the log line. */
  readonly prunedMessage: string | null;
  /** FAIL by a thrown error in this process: the error, for the log line's details. */
  readonly error: unknown;
}

/**
 * Runs an objective and turns however it ends into a TrialOutcome: a returned value, a
 * TrialPruned (also one rebuilt from another thread, known by its name), or an error.
 */
export async function evaluateObjective(run: () => unknown): Promise<TrialOutcome> {
  try {
    return { kind: "value", value: await run() };
  } catch (error) {
    return outcomeOfError(error);
  }
}

/** The outcome of an objective that threw `error`. */
export function outcomeOfError(error: unknown): TrialOutcome {
  if (error instanceof TrialPruned || (error instanceof Error && error.name === "TrialPruned")) {
    return error.message === "" ? { kind: "pruned" } : { kind: "pruned", message: error.message };
  }
  return { kind: "error", error };
}

/**
 * Decides how a trial ends, Optuna's rule: a finite value completes it; anything else (NaN,
 * Infinity, a non-number, a thrown error, a failure elsewhere) fails it with the reason; pruned
 * keeps the last finite intermediate value (the value at the highest reported step).
 */
export function judgeTrialEnd(outcome: TrialOutcome, intermediateValues: Readonly<Record<number, number>>): TrialEnd {
  switch (outcome.kind) {
    case "value": {
      const checked = checkObjectiveValue(outcome.value);
      return "reason" in checked
        ? failed(checked.reason, null)
        : { state: TrialState.COMPLETE, value: checked.value, failReason: null, prunedMessage: null, error: null };
    }
    case "pruned":
      return {
        state: TrialState.PRUNED,
        value: lastFiniteValue(intermediateValues),
        failReason: null,
        prunedMessage: outcome.message === undefined || outcome.message === "" ? null : outcome.message,
        error: null,
      };
    case "error":
      return failed(describeError(outcome.error), outcome.error);
    case "fail":
      return failed(outcome.reason, null);
    default:
      return outcome satisfies never;
  }
}

function failed(reason: string, error: unknown): TrialEnd {
  return { state: TrialState.FAIL, value: null, failReason: reason, prunedMessage: null, error };
}

/** A value an objective returned, checked: the number, or why it cannot complete a trial. */
export function checkObjectiveValue(v: unknown): { value: number } | { reason: string } {
  if (typeof v === "number" && Number.isFinite(v)) return { value: v };
  return { reason: describeBadValue(v) };
}

/** Why a value an objective returned cannot complete a trial (NaN, Infinity, not a number). */
export function describeBadValue(v: unknown): string {
  if (typeof v === "number") {
    return `The objective returned ${pyFloat(v)}, which is not a finite number; it must return a finite number`;
  }
  const shown = v === undefined ? "undefined" : typeof v === "string" ? JSON.stringify(v) : `a ${typeof v}`;
  return `The objective returned ${shown}, which is not a number; it must return a finite number`;
}

/** The value at the highest reported step when it is finite, else null. */
function lastFiniteValue(intermediateValues: Readonly<Record<number, number>>): number | null {
  const last = lastStep({ intermediateValues });
  const value = last === null ? undefined : intermediateValues[last];
  return value !== undefined && Number.isFinite(value) ? value : null;
}
