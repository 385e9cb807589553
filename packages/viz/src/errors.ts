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

/**
 * Thrown when a plot of one value per trial (history, slice, contour, ...) is given a
 * multi-objective study without `target`: which objective to plot is the caller's choice, as in
 * Optuna ("please specify the `target`").
 */
export class TargetRequiredError extends ShoalError {
  constructor(
    readonly plot: string,
    studyName: string,
    readonly objectives: number,
  ) {
    super(
      `${plot} plots one value per trial, and study "${studyName}" has ${objectives} objectives: ` +
        "pass the option `target` to pick one, e.g. `{ target: (t) => t.values![0]!, targetName: \"Objective 0\" }`, " +
        "or draw every objective at once with plotParetoFront.",
    );
  }
}

/** Thrown when a multi-objective plot (Pareto front, hypervolume history) is given a single-objective study. */
export class SingleObjectiveStudyError extends ShoalError {
  constructor(
    readonly plot: string,
    studyName: string,
    instead: string,
  ) {
    super(`${plot} needs a study of two or more objectives, and study "${studyName}" has one: use ${instead} instead.`);
  }
}

/** Thrown when an option of a plot does not fit the study: the message names the option, what it got and what fits. */
export class PlotOptionError extends ShoalError {
  constructor(
    readonly plot: string,
    readonly option: string,
    detail: string,
  ) {
    super(`${plot}: option \`${option}\` ${detail}`);
  }
}
