import { serializeError, type BaseTrial } from "@shoal/core";
import type { CallOutcome } from "./thread-protocol/input.js";
import type { TrialCall } from "./thread-protocol/output.js";

/**
 * Runs one call from a thread on the real trial. Whatever the trial throws (a SearchSpaceError
 * for low > high, say) goes back to be re-thrown at the objective's call.
 */
export function serveTrialCall(trial: BaseTrial, call: TrialCall): CallOutcome {
  try {
    switch (call.method) {
      case "suggestFloat":
        return suggested(trial, call.args[0], trial.suggestFloat(...call.args));
      case "suggestInt":
        return suggested(trial, call.args[0], trial.suggestInt(...call.args));
      case "suggestCategorical":
        return suggested(trial, call.args[0], trial.suggestCategorical(...call.args));
      case "report":
        return { ok: true, value: trial.report(...call.args) };
      case "shouldPrune":
        return { ok: true, value: trial.shouldPrune() };
      case "setUserAttr":
        return { ok: true, value: trial.setUserAttr(...call.args) };
      default:
        return call satisfies never;
    }
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

// The thread keeps its own copy of params and distributions, so it gets the distribution too.
function suggested(trial: BaseTrial, name: string, value: unknown): CallOutcome {
  return { ok: true, value, distribution: trial.distributions[name] };
}
