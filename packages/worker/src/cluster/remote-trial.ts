import {
  categoricalDistribution,
  checkCompatible,
  checkReportArgs,
  containsValue,
  deriveSeed,
  floatDistribution,
  intDistribution,
  Rng,
  sampleUniform,
  TrialState,
  type BaseTrial,
  type CategoricalChoice,
  type Distribution,
  type FrozenTrial,
  type NumericSuggestOptions,
  type ParamValue,
  type Pruner,
  type StudyView,
} from "@shoal/core";
import type { TrialJob } from "@shoal/redis";
import type { PresampledParams, PresampledTrial } from "../thread-protocol/presampled-params.js";

/**
 * The trial a cluster worker hands to the objective: params come from the job (pre-sampled by
 * the coordinator); a parameter the job does not carry is sampled here from its distribution,
 * seeded by the study seed, trial number and name, and recorded in the result. Reports go to
 * Redis as they happen, so other workers' pruners see them.
 *
 * A PresampledTrial: the TrialRunner's thread answers the job's params itself (no round trip)
 * when the objective asks for them with their job distribution.
 */
export class RemoteTrial implements PresampledTrial {
  readonly number: number;
  private readonly suggested: Record<string, ParamValue> = {};
  private readonly suggestedDistributions: Record<string, Distribution> = {};
  private readonly attrs: Record<string, unknown> = {};
  private readonly reported: Record<number, number> = {};
  private startedAt = new Date();

  constructor(
    private readonly job: TrialJob,
    private readonly pruner: Pruner,
    private readonly view: StudyView,
    private readonly onReport: (step: number, value: number) => void,
  ) {
    this.number = job.number;
  }

  /** When the trial started: its creation, or the last markStarted(). */
  get datetimeStart(): Date {
    return this.startedAt;
  }

  /** The trial starts now: a job taken ahead of a free thread starts when one takes it. */
  markStarted(): void {
    this.startedAt = new Date();
  }

  get params(): Readonly<Record<string, ParamValue>> {
    return this.suggested;
  }

  get distributions(): Readonly<Record<string, Distribution>> {
    return this.suggestedDistributions;
  }

  get userAttrs(): Readonly<Record<string, unknown>> {
    return this.attrs;
  }

  get intermediateValues(): Readonly<Record<number, number>> {
    return this.reported;
  }

  suggestFloat(name: string, low: number, high: number, options?: NumericSuggestOptions): number {
    return this.suggest(name, floatDistribution(name, low, high, options)) as number;
  }

  suggestInt(name: string, low: number, high: number, options?: NumericSuggestOptions): number {
    return this.suggest(name, intDistribution(name, low, high, options)) as number;
  }

  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, categoricalDistribution(name, choices)) as T;
  }

  /**
   * What `suggest` returns for a name of the job asked for with its job distribution: the fixed
   * value (even out of range), else the job's value when it lies in that distribution. Only for
   * names not yet suggested: later, the first value stands. Nothing else is known ahead.
   */
  presampledParams(): PresampledParams {
    const params: Record<string, ParamValue> = {};
    const distributions: Record<string, Distribution> = {};
    for (const [name, distribution] of Object.entries(this.job.distributions)) {
      if (Object.hasOwn(this.suggestedDistributions, name)) continue;
      const value = this.jobValue(name, distribution);
      if (value === undefined) continue;
      params[name] = value;
      distributions[name] = distribution;
    }
    return { params, distributions };
  }

  /** The job's answer for `name` under `distribution`: the fixed value, else its value if in range. */
  private jobValue(name: string, distribution: Distribution): ParamValue | undefined {
    if (Object.hasOwn(this.job.fixedParams, name)) return this.job.fixedParams[name] as ParamValue;
    if (Object.hasOwn(this.job.params, name) && containsValue(distribution, this.job.params[name] as ParamValue)) {
      return this.job.params[name] as ParamValue;
    }
    return undefined;
  }

  private suggest(name: string, distribution: Distribution): ParamValue {
    const existing = this.suggestedDistributions[name];
    if (existing) {
      checkCompatible(name, existing, distribution);
      return this.suggested[name] as ParamValue;
    }
    const known = this.job.distributions[name];
    if (known) checkCompatible(name, known, distribution);
    // Not `??`: null is a categorical choice the job may hold.
    const fromJob = this.jobValue(name, distribution);
    const value = fromJob !== undefined ? fromJob : sampleUniform(new Rng(deriveSeed(this.job.seed, this.job.number, name)), distribution);
    this.suggested[name] = value;
    this.suggestedDistributions[name] = distribution;
    return value;
  }

  report(value: number, step: number): void {
    checkReportArgs(value, step);
    if (Object.hasOwn(this.reported, step)) return;
    this.reported[step] = value;
    this.onReport(step, value);
  }

  shouldPrune(): boolean {
    return this.pruner.prune(this.view, this.frozen());
  }

  setUserAttr(key: string, value: unknown): void {
    this.attrs[key] = value;
  }

  /** The trial as a pruner sees it. */
  frozen(): FrozenTrial {
    return {
      trialId: -1,
      number: this.number,
      state: TrialState.RUNNING,
      value: null,
      values: null,
      params: this.suggested,
      distributions: this.suggestedDistributions,
      userAttrs: this.attrs,
      systemAttrs: {},
      intermediateValues: this.reported,
      datetimeStart: this.datetimeStart,
      datetimeComplete: null,
      duration: null,
    };
  }
}
