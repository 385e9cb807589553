import type { BaseTrial, CategoricalChoice, Distribution, NumericSuggestOptions, ParamValue } from "@shoal/core";
import type { TrialSnapshot } from "../thread-protocol/input.js";
import type { TrialCall } from "../thread-protocol/output.js";
import { rebuildMainThreadError } from "./error-transport.js";
import type { SyncCallChannel } from "./sync-call-channel.js";

/**
 * The trial an objective sees inside the thread. Every method runs synchronously on the real
 * trial on the main thread; params, distributions and userAttrs are kept here from the replies.
 */
export class ThreadTrial implements BaseTrial {
  readonly number: number;
  private readonly paramValues: Record<string, ParamValue>;
  private readonly paramDistributions: Record<string, Distribution>;
  private readonly attrs: Record<string, unknown>;

  constructor(
    private readonly channel: SyncCallChannel,
    private readonly requestId: number,
    snapshot: TrialSnapshot,
  ) {
    this.number = snapshot.number;
    this.paramValues = { ...snapshot.params };
    this.paramDistributions = { ...snapshot.distributions };
    this.attrs = { ...snapshot.userAttrs };
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

  private suggest(call: TrialCall & { args: [string, ...unknown[]] }): ParamValue {
    const { value, distribution } = this.call(call);
    const name = call.args[0];
    this.paramValues[name] = value as ParamValue;
    if (distribution) this.paramDistributions[name] = distribution;
    return value as ParamValue;
  }

  private call(call: TrialCall): { value: unknown; distribution?: Distribution | undefined } {
    const outcome = this.channel.call(this.requestId, call);
    if (!outcome.ok) throw rebuildMainThreadError(outcome.error);
    return outcome;
  }
}
