import {
  categoricalDistribution,
  checkCompatible,
  containsValue,
  floatDistribution,
  intDistribution,
  isSingle,
  type CategoricalChoice,
  type Distribution,
  type NumericSuggestOptions,
  type ParamValue,
} from "./distributions.js";
import { InvalidOptionError, TrialStateError } from "./errors.js";
import type { FrozenTrial } from "./frozen-trial.js";
import type { Logger } from "./logging.js";
import type { Pruner } from "./pruners/pruner.js";
import type { Sampler, SearchSpace } from "./samplers/sampler.js";
import type { Storage } from "./storage/storage.js";
import type { StudyView } from "./study-view.js";
import { TrialState } from "./trial-state.js";

/**
 * The trial API an objective receives, as in Optuna: suggest calls, intermediate reports and
 * pruning checks, all synchronous. The same interface is served inside worker threads.
 */
export interface BaseTrial {
  /** 0, 1, 2, ... within the study. */
  readonly number: number;
  /** The params suggested so far. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly userAttrs: Readonly<Record<string, unknown>>;
  /** A float in [low, high]; with `step`, on the grid low + k*step; with `log`, log-uniform. */
  suggestFloat(name: string, low: number, high: number, options?: NumericSuggestOptions): number;
  /** An integer in [low, high]; with `step`, on the grid low + k*step; with `log`, log-uniform. */
  suggestInt(name: string, low: number, high: number, options?: NumericSuggestOptions): number;
  /** One of `choices` (strings, numbers, booleans or null). */
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T;
  /** Records an intermediate objective value at a step (an epoch, say) for pruning and plots. */
  report(value: number, step: number): void;
  /** True when the study's pruner says this trial should stop: then `throw new TrialPruned()`. */
  shouldPrune(): boolean;
  /** Stores a JSON-serialisable attribute on the trial. */
  setUserAttr(key: string, value: unknown): void;
}

/** Throws InvalidOptionError unless `trial.report(value, step)` got a number and an integer step >= 0. */
export function checkReportArgs(value: unknown, step: unknown): void {
  if (typeof value !== "number") {
    throw new InvalidOptionError("value", `trial.report needs a number, got ${typeof value}.`);
  }
  if (!Number.isInteger(step) || (step as number) < 0) {
    throw new InvalidOptionError("step", `trial.report needs an integer step >= 0, got ${String(step)}.`);
  }
}

/** What a Trial needs from its study: storage, sampler, pruner and a view for them. */
export interface TrialContext {
  readonly storage: Storage;
  readonly studyId: number;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly view: StudyView;
  readonly logger: Logger;
}

/** A running trial of a study, handed to the objective. Create one with `study.ask()`. */
export class Trial implements BaseTrial {
  private readonly relativeSearchSpace: SearchSpace;
  private readonly relativeParams: Record<string, ParamValue>;

  /** @internal Use `study.ask()`. */
  constructor(
    private readonly ctx: TrialContext,
    /** Unique within the storage. */
    readonly trialId: number,
    readonly number: number,
  ) {
    const frozen = this.frozen();
    ctx.sampler.beforeTrial?.(ctx.view, frozen);
    this.relativeSearchSpace = ctx.sampler.inferRelativeSearchSpace(ctx.view, frozen);
    this.relativeParams =
      Object.keys(this.relativeSearchSpace).length > 0
        ? ctx.sampler.sampleRelative(ctx.view, frozen, this.relativeSearchSpace)
        : {};
  }

  get params(): Readonly<Record<string, ParamValue>> {
    return this.frozen().params;
  }

  get distributions(): Readonly<Record<string, Distribution>> {
    return this.frozen().distributions;
  }

  get userAttrs(): Readonly<Record<string, unknown>> {
    return this.frozen().userAttrs;
  }

  get datetimeStart(): Date | null {
    return this.frozen().datetimeStart;
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

  /** Samples (or looks up) the value of one parameter and records it. */
  suggest(name: string, distribution: Distribution): ParamValue {
    const frozen = this.runningFrozen("suggest");
    if (typeof name !== "string" || name.length === 0) {
      throw new InvalidOptionError("name", "a parameter name must be a non-empty string.");
    }
    const existing = frozen.distributions[name];
    if (existing !== undefined) {
      // Asked twice in one trial: the first value stands, as in Optuna.
      checkCompatible(name, existing, distribution);
      return frozen.params[name] as ParamValue;
    }
    const known = this.ctx.storage.getParamDistribution(this.ctx.studyId, name);
    if (known) checkCompatible(name, known, distribution);

    const value = this.pickValue(frozen, name, distribution);
    this.ctx.storage.setTrialParam(this.trialId, name, value, distribution);
    return value;
  }

  /**
   * The value `suggest` would pick for a parameter, without recording it: how a coordinator
   * pre-samples the parameters it knows before a remote worker runs the objective.
   */
  propose(name: string, distribution: Distribution): ParamValue {
    return this.pickValue(this.runningFrozen("propose"), name, distribution);
  }

  private pickValue(frozen: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const fixed = frozen.systemAttrs.fixedParams as Record<string, ParamValue> | undefined;
    if (fixed && Object.hasOwn(fixed, name)) {
      const value = fixed[name] as ParamValue;
      if (!containsValue(distribution, value)) {
        this.ctx.logger.warn(
          `Fixed parameter '${name}' with value ${String(value)} is out of range for the distribution ${JSON.stringify(distribution)}.`,
        );
      }
      return value;
    }
    if (isSingle(distribution)) {
      return distribution.kind === "categorical" ? (distribution.choices[0] ?? null) : distribution.low;
    }
    const relative = this.relativeSearchSpace[name];
    if (relative && Object.hasOwn(this.relativeParams, name)) {
      const value = this.relativeParams[name] as ParamValue;
      if (containsValue(distribution, value)) return value;
    }
    return this.ctx.sampler.sampleIndependent(this.ctx.view, frozen, name, distribution);
  }

  report(value: number, step: number): void {
    const frozen = this.runningFrozen("report");
    checkReportArgs(value, step);
    if (Object.hasOwn(frozen.intermediateValues, step)) {
      this.ctx.logger.warn(
        `The reported value is ignored because this step ${step} is already reported in trial ${this.number}.`,
      );
      return;
    }
    this.ctx.storage.setTrialIntermediateValue(this.trialId, step, value);
  }

  shouldPrune(): boolean {
    return this.ctx.pruner.prune(this.ctx.view, this.runningFrozen("shouldPrune"));
  }

  setUserAttr(key: string, value: unknown): void {
    this.ctx.storage.setTrialUserAttr(this.trialId, key, value);
  }

  /** The trial as storage holds it now. */
  frozen(): FrozenTrial {
    return this.ctx.storage.getTrial(this.trialId);
  }

  private runningFrozen(call: string): FrozenTrial {
    const frozen = this.frozen();
    if (frozen.state !== TrialState.RUNNING) {
      throw new TrialStateError(
        `trial.${call}() was called on trial ${this.number}, which has already finished as ${frozen.state}.`,
      );
    }
    return frozen;
  }
}
