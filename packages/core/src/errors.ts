/** Base class of every error Shoal throws on purpose; `name` is set so logs and threads keep it. */
export class ShoalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Thrown when a suggest call describes a search space that cannot be sampled: low above high,
 * a log range that reaches zero, a step that does not fit, no categorical choices.
 */
export class SearchSpaceError extends ShoalError {
  constructor(
    readonly param: string,
    detail: string,
  ) {
    super(`Invalid search space for parameter "${param}": ${detail}`);
  }
}

/**
 * Thrown when a parameter is suggested with a distribution of another kind (or other categorical
 * choices) than the one it was first suggested with in this study or trial.
 */
export class IncompatibleDistributionError extends ShoalError {
  constructor(
    readonly param: string,
    detail: string,
  ) {
    super(`Parameter "${param}" was suggested with an incompatible distribution: ${detail}`);
  }
}

/** Thrown when an option passed to a Shoal API is out of its allowed range. */
export class InvalidOptionError extends ShoalError {
  constructor(
    readonly option: string,
    detail: string,
  ) {
    super(`Invalid option "${option}": ${detail}`);
  }
}

/**
 * Returns `value` when it is an integer in [min, max]; otherwise throws InvalidOptionError naming
 * the option, the range and the value. The one check behind every count-like option.
 */
export function checkIntegerOption(option: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new InvalidOptionError(option, `must be an integer ${range}, got ${String(value)}.`);
  }
  return value;
}

/** Thrown by `bestTrial`, `bestValue` and `bestParams` while the study has no COMPLETE trial. */
export class NoCompletedTrialsError extends ShoalError {
  constructor(studyName: string, completedButInfeasible = false) {
    super(
      completedButInfeasible
        ? `Study "${studyName}" has no feasible completed trial yet (every one breaks a constraint), so it has no best trial.`
        : `Study "${studyName}" has no completed trials yet, so it has no best trial.`,
    );
  }
}

/**
 * Thrown when a single-objective accessor (`bestTrial`, `bestValue`, `direction`) is used on a
 * study of several objectives, as Optuna does.
 */
export class MultiObjectiveError extends ShoalError {
  constructor(studyName: string, nObjectives: number, what: string, instead: string) {
    super(`Study "${studyName}" has ${nObjectives} objectives, so it has no single ${what}; use ${instead}.`);
  }
}

/** Thrown when a trial is used after it finished, or when a trial number is unknown to the study. */
export class TrialStateError extends ShoalError {}

/** Thrown when a study is created twice under one name, or loaded under a name that does not exist. */
export class StudyNameError extends ShoalError {}

/**
 * Throw this from an objective to stop the trial and record it as PRUNED, as in Optuna:
 * `if (trial.shouldPrune()) throw new TrialPruned();`
 */
export class TrialPruned extends ShoalError {
  constructor(message = "") {
    super(message);
  }
}

/** Thrown when a study file (trials.json) cannot be read or is not in the format Shoal writes. */
export class StudyJsonError extends ShoalError {}

/** The plain shape of an error that crossed a thread or process boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string | undefined;
}

/** Turns anything thrown into a SerializedError, keeping name, message and stack. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack };
  }
  return { name: "Error", message: typeof error === "string" ? error : String(error) };
}

/** An error rebuilt from a SerializedError: same name, message and stack as the original. */
export class RemoteError extends Error {
  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.name = serialized.name;
    if (serialized.stack !== undefined) this.stack = serialized.stack;
  }
}

/** The short form used in log lines, shaped like Python's repr: `Error('boom')`. */
export function describeError(error: unknown): string {
  const { name, message } = serializeError(error);
  const quoted = message.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n");
  return `${name}('${quoted}')`;
}
