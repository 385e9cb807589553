import type { BaseTrial, CategoricalChoice, Distribution, NumericSuggestOptions, ParamValue } from "@shoal/core";
import type { PresampledAnswers, TrialSnapshot } from "../thread-protocol/input.js";
import type { SuggestCall, TrialCall } from "../thread-protocol/output.js";
import { rebuildMainThreadError } from "./error-transport.js";
import { LocalAnswers, sameDistribution } from "./local-answers.js";
import type { SyncCallChannel } from "./sync-call-channel.js";

/**
 * The trial an objective sees inside the thread. Every method runs synchronously on the real
 * trial on the main thread; params, distributions and userAttrs are kept here from the replies.
 * The exception: a suggestion the trial offered ahead (PresampledAnswers), asked for with exactly
 * its distribution, is answered here and logged; the main thread replays it on the real trial
 * before it serves the next call or settles the trial.
 */
export class ThreadTrial implements BaseTrial {
  readonly number: number;
  private readonly paramValues: Record<string, ParamValue>;
  private readonly paramDistributions: Record<string, Distribution>;
  private readonly attrs: Record<string, unknown>;
  /** Null once the objective has settled (or when nothing was offered): no more local answers. */
  private localAnswers: LocalAnswers | null;

  constructor(
    private readonly channel: SyncCallChannel,
    private readonly requestId: number,
    snapshot: TrialSnapshot,
    presampled: PresampledAnswers | null,
  ) {
    this.number = snapshot.number;
    this.paramValues = { ...snapshot.params };
    this.paramDistributions = { ...snapshot.distributions };
    this.attrs = { ...snapshot.userAttrs };
    this.localAnswers = presampled === null ? null : new LocalAnswers(presampled);
  }

  /**
   * The objective has settled. A call made later (from a timer, say) takes the round trip, where
   * it fails as a late call, instead of being logged for a trial the main thread has closed.
   */
  end(): void {
    this.localAnswers = null;
  }

  get params(): Readonly<Record<string, ParamValue>> {
    return { ...this.paramValues };
  }

  get distributions(): Readonly<Record<string, Distribution>> {
    return { ...this.paramDistributions };
  }

  get userAttrs(): Readonly<Record<string, unknown>> {
    return { ...this.attrs };
  }

  suggestFloat(name: string, low: number, high: number, options?: NumericSuggestOptions): number {
    return this.suggest({ method: "suggestFloat", args: [name, low, high, options] }) as number;
  }

  suggestInt(name: string, low: number, high: number, options?: NumericSuggestOptions): number {
    return this.suggest({ method: "suggestInt", args: [name, low, high, options] }) as number;
  }

  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest({ method: "suggestCategorical", args: [name, choices] }) as T;
  }

  report(value: number, step: number): void {
    this.call({ method: "report", args: [value, step] });
  }

  shouldPrune(): boolean {
    return this.call({ method: "shouldPrune", args: [] }).value as boolean;
  }

  setUserAttr(key: string, value: unknown): void {
    this.call({ method: "setUserAttr", args: [key, value] });
    this.attrs[key] = value;
  }

  private suggest(call: SuggestCall): ParamValue {
    const local = this.answerLocally(call);
    if (local !== null) return local.value;
    const { value, distribution } = this.call(call);
    const name = call.args[0];
    this.paramValues[name] = value as ParamValue;
    if (distribution) this.paramDistributions[name] = distribution;
    return value as ParamValue;
  }

  /** The offered answer, given and logged without a round trip; null when the call must go the slow way. */
  private answerLocally(call: SuggestCall): { value: ParamValue } | null {
    const answers = this.localAnswers;
    const found = answers === null ? null : answers.find(call);
    if (answers === null || found === null) return null;
    const { name, distribution } = found.answer;
    let value = found.answer.value;
    const previous = Object.hasOwn(this.paramDistributions, name) ? this.paramDistributions[name] : undefined;
    if (previous !== undefined) {
      // Asked before: the first value stands. Under the same distribution the real trial cannot
      // refuse it; under another one it decides (and may throw), so ask it.
      if (!sameDistribution(previous, distribution)) return null;
      value = this.paramValues[name] as ParamValue;
    }
    // A full log takes the round trip, which drains it.
    if (!answers.log(found)) return null;
    this.paramValues[name] = value;
    this.paramDistributions[name] = distribution;
    return { value };
  }

  private call(call: TrialCall): { value: unknown; distribution?: Distribution | undefined } {
    const outcome = this.channel.call(this.requestId, call);
    if (!outcome.ok) throw rebuildMainThreadError(outcome.error);
    return outcome;
  }
}
