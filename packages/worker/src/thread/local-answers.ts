/**
 * Inside the thread: the suggestions the trial offered before the objective ran (see
 * PresampledTrial), answered without a round trip to the main thread when a call asks for
 * exactly the offered distribution. Anything else takes the round trip, so the main thread
 * still builds (and validates) every other distribution and raises every error.
 *
 * The thread must not import @shoal/core at run time (see error-transport.ts): the requested
 * distribution is read off the call's arguments here, the way core's builders read them.
 */
import type { CategoricalChoice, Distribution, FloatDistribution, IntDistribution } from "@shoal/core";
import { AnswerLog } from "../thread-protocol/answer-log.js";
import type { PresampledAnswer, PresampledAnswers } from "../thread-protocol/input.js";
import type { SuggestCall } from "../thread-protocol/output.js";

/** An offered answer and its position in the offer list, which is what the AnswerLog records. */
export interface LocalAnswer {
  position: number;
  answer: PresampledAnswer;
}

/** One trial's offer, looked up by name, and the log its answers go to. */
export class LocalAnswers {
  // A Map, not a record: a name like "constructor" must not find Object.prototype's.
  private readonly byName = new Map<string, LocalAnswer>();
  private readonly answerLog: AnswerLog;

  constructor(presampled: PresampledAnswers) {
    presampled.answers.forEach((answer, position) => this.byName.set(answer.name, { position, answer }));
    this.answerLog = new AnswerLog(presampled.log);
  }

  /** The offered answer when `call` asks for exactly its distribution; otherwise null. */
  find(call: SuggestCall): LocalAnswer | null {
    const name: unknown = call.args[0];
    const found = typeof name === "string" ? this.byName.get(name) : undefined;
    return found !== undefined && requestsExactly(call, found.answer.distribution) ? found : null;
  }

  /** Logs an answer given, for the main thread to replay; false when the log is full. */
  log(found: LocalAnswer): boolean {
    return this.answerLog.append(found.position);
  }
}

/**
 * True when core would build exactly `offered` from the call's arguments. The offered
 * distribution is one core built and rebuilds unchanged (the main thread checks), so equal
 * fields mean the call is valid too. Any unusual argument (a null step, non-object options)
 * says false: the round trip then gives core's own answer or error.
 */
export function requestsExactly(call: SuggestCall, offered: Distribution): boolean {
  switch (call.method) {
    case "suggestFloat":
      return offered.kind === "float" && numericRequestIs(call.args, offered, null);
    case "suggestInt":
      return offered.kind === "int" && numericRequestIs(call.args, offered, 1);
    case "suggestCategorical":
      return offered.kind === "categorical" && sameChoices(call.args[1], offered.choices);
    default:
      return call satisfies never;
  }
}

/** True when both describe the same values the same way (core's distributionsEqual). */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (a.kind === "categorical") return b.kind === "categorical" && sameChoices(a.choices, b.choices);
  if (b.kind === "categorical") return false;
  return a.kind === b.kind && a.low === b.low && a.high === b.high && a.step === b.step && a.log === b.log;
}

// Core reads `options.step` (absent: null for a float, 1 for an int) and `options.log ?? false`,
// and refuses any step given with log, even the int default.
function numericRequestIs(
  [, low, high, options]: Extract<SuggestCall, { method: "suggestFloat" }>["args"],
  offered: FloatDistribution | IntDistribution,
  defaultStep: number | null,
): boolean {
  if (options !== undefined && (typeof options !== "object" || options === null)) return false;
  const step: unknown = options?.step;
  const log: unknown = options?.log ?? false;
  const stepMatches =
    step === undefined ? offered.step === defaultStep : typeof step === "number" && step === offered.step && log === false;
  return low === offered.low && high === offered.high && stepMatches && log === offered.log;
}

// An index loop, not every(): every() skips the holes of a sparse array, which core refuses.
function sameChoices(choices: unknown, offered: readonly CategoricalChoice[]): boolean {
  if (!Array.isArray(choices) || choices.length !== offered.length) return false;
  for (let i = 0; i < offered.length; i++) {
    if (choices[i] !== offered[i]) return false;
  }
  return true;
}
