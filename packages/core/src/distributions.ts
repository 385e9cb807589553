import { IncompatibleDistributionError, SearchSpaceError } from "./errors.js";

/** A real-valued parameter on [low, high], optionally on a log scale or a grid of `step`. */
export interface FloatDistribution {
  readonly kind: "float";
  readonly low: number;
  readonly high: number;
  /** Grid spacing from `low`; null for a continuous range. */
  readonly step: number | null;
  readonly log: boolean;
}

/** An integer parameter on [low, high] with spacing `step` (1 unless given), optionally log-scaled. */
export interface IntDistribution {
  readonly kind: "int";
  readonly low: number;
  readonly high: number;
  readonly step: number;
  readonly log: boolean;
}

/** A value a categorical parameter can take. */
export type CategoricalChoice = string | number | boolean | null;

/** A parameter that takes one of a fixed list of choices. */
export interface CategoricalDistribution {
  readonly kind: "categorical";
  readonly choices: readonly CategoricalChoice[];
}

export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** What a suggest call returns and what a trial's `params` hold. */
export type ParamValue = number | string | boolean | null;

/** Options of `suggestFloat` and `suggestInt`. */
export interface NumericSuggestOptions {
  /** Grid spacing. Cannot be combined with `log`. */
  step?: number | undefined;
  /** Sample on a log scale; needs low > 0. */
  log?: boolean | undefined;
}

function checkBounds(name: string, low: number, high: number): void {
  if (typeof low !== "number" || !Number.isFinite(low)) {
    throw new SearchSpaceError(name, `low must be a finite number, got ${String(low)}.`);
  }
  if (typeof high !== "number" || !Number.isFinite(high)) {
    throw new SearchSpaceError(name, `high must be a finite number, got ${String(high)}.`);
  }
  if (low > high) {
    throw new SearchSpaceError(name, `low (${low}) must be less than or equal to high (${high}).`);
  }
}

function checkStepAndLog(name: string, low: number, step: number | undefined, log: boolean): void {
  if (step !== undefined && (typeof step !== "number" || !Number.isFinite(step) || step <= 0)) {
    throw new SearchSpaceError(name, `step must be a finite number > 0, got ${String(step)}.`);
  }
  if (log && step !== undefined) {
    throw new SearchSpaceError(name, "step and log cannot be used together: choose one.");
  }
  if (log && low <= 0) {
    throw new SearchSpaceError(name, `log=true needs low > 0, got low=${low}; the range must be (0, high].`);
  }
}

/**
 * Rounds `(high - low) / step` down the way Optuna does, so `high` becomes the last grid point.
 * Decimal steps (0.1) go through a string round trip to avoid 0.30000000000000004-style drift.
 */
function adjustHighToStep(low: number, high: number, step: number): number {
  const n = Math.floor((high - low) / step + 1e-9);
  const adjusted = low + n * step;
  return Number.parseFloat(adjusted.toPrecision(15));
}

/** Builds and validates a float distribution; errors name the parameter. */
export function floatDistribution(
  name: string,
  low: number,
  high: number,
  options: NumericSuggestOptions = {},
): FloatDistribution {
  checkBounds(name, low, high);
  const log = options.log ?? false;
  checkStepAndLog(name, low, options.step, log);
  if (options.step !== undefined) {
    return { kind: "float", low, high: adjustHighToStep(low, high, options.step), step: options.step, log };
  }
  return { kind: "float", low, high, step: null, log };
}

/** Builds and validates an int distribution; errors name the parameter. */
export function intDistribution(
  name: string,
  low: number,
  high: number,
  options: NumericSuggestOptions = {},
): IntDistribution {
  checkBounds(name, low, high);
  if (!Number.isInteger(low) || !Number.isInteger(high)) {
    throw new SearchSpaceError(name, `low and high must be integers for suggestInt, got low=${low}, high=${high}.`);
  }
  const log = options.log ?? false;
  checkStepAndLog(name, low, options.step, log);
  const step = options.step ?? 1;
  if (!Number.isInteger(step)) {
    throw new SearchSpaceError(name, `step must be a positive integer for suggestInt, got ${step}.`);
  }
  const high2 = low + Math.floor((high - low) / step) * step;
  return { kind: "int", low, high: high2, step, log };
}

/** Builds and validates a categorical distribution; errors name the parameter. */
export function categoricalDistribution(
  name: string,
  choices: readonly CategoricalChoice[],
): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) {
    throw new SearchSpaceError(name, "choices must be a non-empty array.");
  }
  for (const c of choices) {
    const t = typeof c;
    if (!(c === null || t === "string" || t === "boolean" || (t === "number" && !Number.isNaN(c)))) {
      throw new SearchSpaceError(
        name,
        `choice ${String(c)} (${t}) is not allowed: choices must be strings, numbers, booleans or null.`,
      );
    }
  }
  return { kind: "categorical", choices: [...choices] };
}

/** True when the distribution has exactly one possible value. */
export function isSingle(d: Distribution): boolean {
  if (d.kind === "categorical") return d.choices.length === 1;
  if (d.low === d.high) return true;
  if (d.kind === "int") return false;
  return d.step !== null && d.high - d.low < d.step;
}

/** The internal (numeric) representation: the value itself, or the index of a categorical choice. */
export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.kind === "categorical") {
    const i = d.choices.findIndex((c) => c === value || (Number.isNaN(c) && Number.isNaN(value)));
    if (i < 0) throw new RangeError(`${String(value)} is not one of the choices ${JSON.stringify(d.choices)}`);
    return i;
  }
  return value as number;
}

/** The user-facing value from an internal one. */
export function toExternal(d: Distribution, internal: number): ParamValue {
  if (d.kind === "categorical") {
    const c = d.choices[internal];
    if (c === undefined) throw new RangeError(`index ${internal} is out of the ${d.choices.length} choices`);
    return c;
  }
  return d.kind === "int" ? Math.round(internal) : internal;
}

/** True when an external value is a possible value of the distribution. */
export function containsValue(d: Distribution, value: ParamValue): boolean {
  if (d.kind === "categorical") return d.choices.some((c) => c === value);
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (value < d.low || value > d.high) return false;
  if (d.kind === "int") {
    return Number.isInteger(value) && Number.isInteger((value - d.low) / d.step);
  }
  if (d.step !== null) {
    const k = (value - d.low) / d.step;
    return Math.abs(k - Math.round(k)) < 1e-8;
  }
  return true;
}

/** Throws IncompatibleDistributionError unless `next` may be used for a parameter first seen as `prev`. */
export function checkCompatible(name: string, prev: Distribution, next: Distribution): void {
  if (prev.kind !== next.kind) {
    throw new IncompatibleDistributionError(
      name,
      `it was first suggested as ${describeDistribution(prev)} and now as ${describeDistribution(next)}.`,
    );
  }
  if (prev.kind === "categorical" && next.kind === "categorical") {
    const same = prev.choices.length === next.choices.length && prev.choices.every((c, i) => c === next.choices[i]);
    if (!same) {
      throw new IncompatibleDistributionError(
        name,
        `categorical choices changed from ${JSON.stringify(prev.choices)} to ${JSON.stringify(next.choices)}.`,
      );
    }
  }
}

/** True when both describe the same set of values in the same way. */
export function distributionsEqual(a: Distribution, b: Distribution): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "categorical" && b.kind === "categorical") {
    return a.choices.length === b.choices.length && a.choices.every((c, i) => c === b.choices[i]);
  }
  const x = a as FloatDistribution | IntDistribution;
  const y = b as FloatDistribution | IntDistribution;
  return x.low === y.low && x.high === y.high && x.step === y.step && x.log === y.log;
}

/** A short human description: `float [0, 1] log`, `int [1, 10] step 2`, `categorical ["a","b"]`. */
export function describeDistribution(d: Distribution): string {
  if (d.kind === "categorical") return `categorical ${JSON.stringify(d.choices)}`;
  let s = `${d.kind} [${d.low}, ${d.high}]`;
  if (d.log) s += " log";
  if (d.step !== null && !(d.kind === "int" && d.step === 1)) s += ` step ${d.step}`;
  return s;
}
