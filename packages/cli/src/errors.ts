import { ShoalError } from "@shoal/core";

/** Thrown when the command line is wrong: an unknown command or flag, or a flag value out of range. */
export class UsageError extends ShoalError {
  constructor(
    message: string,
    /** The command whose usage to print with the error. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/**
 * Thrown by `shoal optimize` once the study has ended (summary printed, --out written) with no
 * COMPLETE trial: there is no best trial, as Optuna's `study.best_trial` raises, so a script that
 * goes on to use the result must not see success. Exit code 1, like any failed command.
 */
export class NoCompletedTrialError extends ShoalError {
  constructor(studyName: string, detail: string) {
    super(`no trial of study "${studyName}" completed, so it has no best trial: ${detail}`);
  }
}
