/** What a trial thread sends to the main thread, on its parentPort. */
import type { BaseTrial, SerializedError } from "@shoal/core";

/** The BaseTrial methods a thread calls on the real trial, which lives on the main thread. */
export type TrialMethod =
  | "suggestFloat"
  | "suggestInt"
  | "suggestCategorical"
  | "report"
  | "shouldPrune"
  | "setUserAttr";

/** One method call with its arguments, typed per method. */
export type TrialCall = { [M in TrialMethod]: { method: M; args: Parameters<BaseTrial[M]> } }[TrialMethod];

/** The calls that sample a parameter: the ones a thread may answer by itself (see PresampledAnswers). */
export type SuggestCall = Extract<TrialCall, { method: "suggestFloat" | "suggestInt" | "suggestCategorical" }>;

/** The objective module loaded and exports an objective function: trials may be sent. */
export interface Ready {
  type: "ready";
}

/** The objective module could not be used; `reason` says why, for ObjectiveLoadError. */
export interface LoadFailed {
  type: "load-failed";
  reason: string;
}

/** A synchronous trial call: the thread is blocked until the CallReply with this callId. */
export type Call = {
  type: "call";
  requestId: number;
  callId: number;
} & TrialCall;

/** The objective returned (or resolved to) `value`. */
export interface TrialResult {
  type: "result";
  requestId: number;
  value: unknown;
}

/** The objective threw (or rejected with) `error`. */
export interface TrialError {
  type: "error";
  requestId: number;
  error: SerializedError;
}

export type ThreadOutput = Ready | LoadFailed | Call | TrialResult | TrialError;
