import type { BaseTrial, Distribution, ParamValue } from "@shoal/core";

/**
 * Suggestions a trial can answer before the objective asks. For each name in both records,
 * `suggestX(name, ...)` returns `params[name]` (and records it) when the call builds exactly
 * `distributions[name]` (as core's distribution builders build it) and the name has not been
 * suggested yet in the trial. A name in only one of the records is ignored.
 */
export interface PresampledParams {
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
}

/**
 * A trial that offers pre-sampled answers, like the cluster's RemoteTrial, whose params the
 * coordinator sampled. `TrialRunner.run` detects the method structurally. The objective's thread
 * then answers a suggestion asking for exactly an offered distribution by itself, with no round
 * trip to the main thread, and the runner replays it on this trial (the suggest call that builds
 * that distribution), in order, before it serves the thread's next call or settles the run.
 * Every other suggestion, and every other call, runs on this trial as for any BaseTrial.
 */
export interface PresampledTrial extends BaseTrial {
  presampledParams(): PresampledParams;
}

/** The trial's offer when it is a PresampledTrial, else null. */
export function presampledParamsOf(trial: BaseTrial): PresampledParams | null {
  const offer = (trial as Partial<PresampledTrial>).presampledParams;
  return typeof offer === "function" ? offer.call(trial) : null;
}
