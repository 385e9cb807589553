import { ShoalError } from "@shoal/core";

/**
 * Thrown by `TrialRunner.run` when a trial runs past `trialTimeoutSeconds`; its thread is terminated.
 * The message leaves the trial's number out (it is the trial's own fail reason, and `trialNumber`),
 * so the same cause reads the same on every trial it fails.
 */
export class TrialTimeoutError extends ShoalError {
  constructor(
    readonly trialNumber: number,
    readonly seconds: number,
  ) {
    super(`The trial ran past its time limit of ${seconds} s (--trial-timeout) and its thread was stopped`);
  }
}

/** How a thread died: by process.exit, by running out of heap, or by an error nothing caught. */
export type ThreadCrashKind = "exited" | "out-of-memory" | "uncaught-error";

/**
 * Thrown by `TrialRunner.run` when the thread running the trial dies before the objective returns:
 * it called `process.exit`, ran out of memory (see `trialMemoryMb`) or threw asynchronously
 * where nothing caught it. The runner replaces the thread; other trials go on.
 */
export class ThreadCrashedError extends ShoalError {
  constructor(
    readonly trialNumber: number,
    readonly kind: ThreadCrashKind,
    /** The thread's exit code. */
    readonly exitCode: number,
    /** What happened, e.g. "ran out of memory (heap limit 512 MB; ...)" or "exited with code 3 (...)". */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    // No trial number in the message, as in TrialTimeoutError: `trialNumber` has it.
    super(`The trial thread ${detail}`, options);
  }
}

/**
 * Thrown by `TrialRunner.check` (and by `run` when a new thread starts) when the objective module
 * cannot be used: the file does not exist, importing it fails, or it exports no `objective` function.
 */
export class ObjectiveLoadError extends ShoalError {
  constructor(
    /** The module's absolute path. */
    readonly modulePath: string,
    /** What is wrong with it. */
    readonly reason: string,
  ) {
    super(`Cannot load the objective module ${modulePath}: ${reason}`);
  }
}

/** Thrown by `TrialRunner.run` and `check` when the runner was closed before or while they ran. */
export class TrialRunnerClosedError extends ShoalError {
  constructor(what: string) {
    super(`The TrialRunner was closed ${what}.`);
  }
}
