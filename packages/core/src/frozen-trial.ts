import type { Distribution, ParamValue } from "./distributions.js";
import type { TrialState } from "./trial-state.js";

/** The minimise/maximise goal of a study. */
export type StudyDirection = "minimize" | "maximize";

/**
 * A snapshot of one trial, as storage holds it. Never mutated: each change to a trial replaces
 * its snapshot, so a FrozenTrial you hold stays as it was when you got it.
 */
export interface FrozenTrial {
  /** Unique within its storage. */
  readonly trialId: number;
  /** 0, 1, 2, ... within its study, in the order trials were created. */
  readonly number: number;
  readonly state: TrialState;
  /**
   * The objective's value (COMPLETE), the last reported one (PRUNED), or null. On a
   * multi-objective study always null: read `values`.
   */
  readonly value: number | null;
  /**
   * The objective's values, one per direction of the study (COMPLETE), `[value]` on a
   * single-objective study (COMPLETE or PRUNED with a value), or null.
   */
  readonly values: readonly number[] | null;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly userAttrs: Readonly<Record<string, unknown>>;
  /** Shoal's own bookkeeping: fixed params of enqueued trials, the failure reason, the worker. */
  readonly systemAttrs: Readonly<Record<string, unknown>>;
  /** step -> value, from `trial.report(value, step)`. */
  readonly intermediateValues: Readonly<Record<number, number>>;
  readonly datetimeStart: Date | null;
  readonly datetimeComplete: Date | null;
  /** Milliseconds from start to completion, or null while unfinished. */
  readonly duration: number | null;
}

/** The highest step a trial reported, or null if it reported none. */
export function lastStep(trial: Pick<FrozenTrial, "intermediateValues">): number | null {
  let last: number | null = null;
  for (const key of Object.keys(trial.intermediateValues)) {
    const step = Number(key);
    if (last === null || step > last) last = step;
  }
  return last;
}

/** `value` as a FrozenTrial holds it for `values`: the one value of a single objective, else null. */
export function singleValue(values: readonly number[] | null): number | null {
  return values !== null && values.length === 1 ? values[0]! : null;
}

/** True when `a` is a better objective value than `b` for the direction. */
export function isBetter(direction: StudyDirection, a: number, b: number): boolean {
  return direction === "minimize" ? a < b : a > b;
}

/** A JSON-friendly form (dates as ISO strings) for files and wire formats. */
export function frozenTrialToJSON(t: FrozenTrial): Record<string, unknown> {
  return {
    number: t.number,
    state: t.state,
    value: t.value,
    values: t.values,
    params: t.params,
    distributions: t.distributions,
    userAttrs: t.userAttrs,
    systemAttrs: t.systemAttrs,
    intermediateValues: t.intermediateValues,
    datetimeStart: t.datetimeStart?.toISOString() ?? null,
    datetimeComplete: t.datetimeComplete?.toISOString() ?? null,
    duration: t.duration,
  };
}
