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
  /**
   * COMPLETE: the objective's values, one per objective; PRUNED: `[the last finite intermediate
   * value]`, or null; FAIL: null.
   */
  readonly values: readonly number[] | null;
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
 * Decides how a trial ends, Optuna's rule: a finite value (on a study of `nObjectives`
 * objectives, an array of that many finite numbers) completes it; anything else (NaN, Infinity,
 * a non-number, an array of another length, a thrown error, a failure elsewhere) fails it with
 * the reason; pruned keeps the last finite intermediate value (the value at the highest
 * reported step).
 */
export function judgeTrialEnd(outcome: TrialOutcome, intermediateValues: Readonly<Record<number, number>>, nObjectives = 1): TrialEnd {
  switch (outcome.kind) {
    case "value": {
      const checked = checkObjectiveValues(outcome.value, nObjectives);
      return "reason" in checked
        ? failed(checked.reason, null)
        : { state: TrialState.COMPLETE, values: checked.values, failReason: null, prunedMessage: null, error: null };
    }
    case "pruned": {
      const last = lastFiniteValue(intermediateValues);
      return {
        state: TrialState.PRUNED,
        values: last === null ? null : [last],
        failReason: null,
        prunedMessage: outcome.message === undefined || outcome.message === "" ? null : outcome.message,
        error: null,
      };
    }
    case "error":
      return failed(describeError(outcome.error), outcome.error);
    case "fail":
      return failed(outcome.reason, null);
    default:
      return outcome satisfies never;
  }
}

function failed(reason: string, error: unknown): TrialEnd {
  return { state: TrialState.FAIL, values: null, failReason: reason, prunedMessage: null, error };
}

/**
 * What an objective returned, checked against the study's number of objectives: the values (a
 * number, or a one-element array, for one objective; an array of `nObjectives` numbers for
 * several), or why they cannot complete a trial.
 */
export function checkObjectiveValues(v: unknown, nObjectives = 1): { values: number[] } | { reason: string } {
  if (nObjectives === 1 && !Array.isArray(v)) {
    return typeof v === "number" && Number.isFinite(v) ? { values: [v] } : { reason: describeBadValue(v, 1) };
  }
  if (!Array.isArray(v)) return { reason: describeBadValue(v, nObjectives) };
  if (v.length !== nObjectives) {
    return {
      reason:
        `The objective returned ${v.length} value${v.length === 1 ? "" : "s"} on a study of ${nObjectives} objective${nObjectives === 1 ? "" : "s"}; ` +
        `it must return ${nObjectives === 1 ? "one finite number" : `an array of ${nObjectives} finite numbers, one per direction`}`,
    };
  }
  const bad = v.findIndex((x) => !(typeof x === "number" && Number.isFinite(x)));
  if (bad >= 0) {
    const x: unknown = v[bad];
    const what = typeof x === "number" ? pyFloat(x) : x === undefined ? "undefined" : typeof x === "string" ? JSON.stringify(x) : `a ${typeof x}`;
    return { reason: `The objective returned ${what} as value ${bad}, which is not a finite number; it must return ${nObjectives} finite numbers` };
  }
  return { values: [...(v as number[])] };
}

/** Why a value an objective returned cannot complete a trial (NaN, Infinity, not a number). */
export function describeBadValue(v: unknown, nObjectives = 1): string {
  const wanted = nObjectives === 1 ? "a finite number" : `an array of ${nObjectives} finite numbers, one per direction`;
  if (typeof v === "number") {
    return nObjectives === 1
      ? `The objective returned ${pyFloat(v)}, which is not a finite number; it must return ${wanted}`
      : `The objective returned ${pyFloat(v)} on a study of ${nObjectives} objectives; it must return ${wanted}`;
  }
  const shown = v === undefined ? "undefined" : typeof v === "string" ? JSON.stringify(v) : `a ${typeof v}`;
  return `The objective returned ${shown}, which is not ${nObjectives === 1 ? "a number" : "an array"}; it must return ${wanted}`;
}

/** The value at the highest reported step when it is finite, else null. */
function lastFiniteValue(intermediateValues: Readonly<Record<number, number>>): number | null {
  const last = lastStep({ intermediateValues });
  const value = last === null ? undefined : intermediateValues[last];
  return value !== undefined && Number.isFinite(value) ? value : null;
}
