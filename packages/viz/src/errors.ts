import { ShoalError } from "@shoal/core";

/** Thrown when no Chromium is at the path PNG rendering would use; the message says how to get one. */
export class BrowserNotFoundError extends ShoalError {
  constructor(readonly executablePath: string) {
    super(
      `No Chromium at ${executablePath}: PNG images are rendered by a headless Chromium. ` +
        "Install one with `apt-get install -y chromium` (Debian, Ubuntu), " +
        "or give the path of a Chromium or Chrome binary with --browser PATH (option `browser`).",
    );
  }
}

/** Thrown when the browser exists but does not start or cannot render a figure. */
export class BrowserLaunchError extends ShoalError {}

/** Thrown when a plot is asked for a parameter that no trial of the study has. */
export class UnknownParamError extends ShoalError {
  constructor(
    readonly param: string,
    known: readonly string[],
  ) {
    super(`Parameter "${param}" is not in the study; its parameters are ${known.length > 0 ? known.map((p) => `"${p}"`).join(", ") : "none"}.`);
  }
}
