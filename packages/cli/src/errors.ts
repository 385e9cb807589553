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
