import {
  categoricalDistribution,
  distributionsEqual,
  floatDistribution,
  intDistribution,
  serializeError,
  type BaseTrial,
  type Distribution,
  type NumericSuggestOptions,
  type SerializedError,
} from "@shoal/core";
import type { CallOutcome, PresampledAnswer } from "./thread-protocol/input.js";
import type { SuggestCall, TrialCall } from "./thread-protocol/output.js";
import type { PresampledParams } from "./thread-protocol/presampled-params.js";

/**
 * Runs one call from a thread on the real trial. Whatever the trial throws (a SearchSpaceError
 * for low > high, say) goes back to be re-thrown at the objective's call.
 */
export function serveTrialCall(trial: BaseTrial, call: TrialCall): CallOutcome {
  try {
    const value = invokeTrialCall(trial, call);
    // The thread keeps its own copy of params and distributions, so it gets the distribution too.
    if (isSuggestCall(call)) return { ok: true, value, distribution: trial.distributions[call.args[0]] };
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

/**
 * What a thread may answer by itself from a trial's offer: the names whose distribution core's
 * builders rebuild unchanged from their replay call. The thread only compares a call's fields
 * with the offered distribution, never validates; this makes equal fields mean a call core
 * accepts and builds into that same distribution. Any other name is left to the round trip.
 */
export function presampledAnswers(offer: PresampledParams): PresampledAnswer[] {
  const answers: PresampledAnswer[] = [];
  for (const [name, distribution] of Object.entries(offer.distributions)) {
    const value = Object.hasOwn(offer.params, name) ? offer.params[name] : undefined;
    if (value === undefined) continue;
    const answer: PresampledAnswer = { name, value, distribution };
    if (rebuildsUnchanged(answer)) answers.push(answer);
  }
  return answers;
}

/**
 * Replays on the real trial, in order, the answers (positions in `answers`) a thread gave by
 * itself: the suggest call that builds each one's distribution, which records the offered value.
 * Stops at the first call that throws and returns its error, as the objective would have got it.
 */
export function replayLocalAnswers(
  trial: BaseTrial,
  answers: readonly PresampledAnswer[],
  positions: readonly number[],
): SerializedError | null {
  for (const position of positions) {
    const answer = answers[position];
    if (answer === undefined) {
      return { name: "Error", message: `Shoal internal error: the thread logged an answer (${position}) it was not offered.` };
    }
    try {
      invokeTrialCall(trial, replayCall(answer));
    } catch (error) {
      return serializeError(error);
    }
  }
  return null;
}

function invokeTrialCall(trial: BaseTrial, call: TrialCall): unknown {
  switch (call.method) {
    case "suggestFloat":
      return trial.suggestFloat(...call.args);
    case "suggestInt":
      return trial.suggestInt(...call.args);
    case "suggestCategorical":
      return trial.suggestCategorical(...call.args);
    case "report":
      return trial.report(...call.args);
    case "shouldPrune":
      return trial.shouldPrune();
    case "setUserAttr":
      return trial.setUserAttr(...call.args);
    default:
      return call satisfies never;
  }
}

function isSuggestCall(call: TrialCall): call is SuggestCall {
  return call.method === "suggestFloat" || call.method === "suggestInt" || call.method === "suggestCategorical";
}

/** The suggest call for an answer's distribution; options only where they differ from the defaults. */
function replayCall({ name, distribution: d }: PresampledAnswer): SuggestCall {
  if (d.kind === "categorical") return { method: "suggestCategorical", args: [name, d.choices] };
  const options: NumericSuggestOptions = {};
  if (d.step !== (d.kind === "int" ? 1 : null)) options.step = d.step ?? undefined;
  if (d.log) options.log = true;
  const args: [string, number, number, NumericSuggestOptions?] =
    Object.keys(options).length === 0 ? [name, d.low, d.high] : [name, d.low, d.high, options];
  return d.kind === "int" ? { method: "suggestInt", args } : { method: "suggestFloat", args };
}

// A distribution core would not build (low > high, say, or a high off its step grid) is refused.
function rebuildsUnchanged(answer: PresampledAnswer): boolean {
  const call = replayCall(answer);
  let rebuilt: Distribution;
  try {
    if (call.method === "suggestCategorical") rebuilt = categoricalDistribution(...call.args);
    else if (call.method === "suggestInt") rebuilt = intDistribution(...call.args);
    else rebuilt = floatDistribution(...call.args);
  } catch {
    return false;
  }
  return distributionsEqual(rebuilt, answer.distribution);
}
