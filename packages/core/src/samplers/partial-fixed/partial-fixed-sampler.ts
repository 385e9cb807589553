import { containsValue, describeDistribution, type Distribution, type ParamValue } from "../../distributions.js";
import { InvalidOptionError } from "../../errors.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import type { StudyView } from "../../study-view.js";
import type { TrialState } from "../../trial-state.js";
import type { Sampler, SearchSpace } from "../sampler.js";

/**
 * Optuna's PartialFixedSampler: the parameters in `fixedParams` always take their given value; the
 * base sampler samples every other one (jointly where it does, without the fixed ones) and hears of
 * every trial's end. A fixed value outside the range the objective asks for fails the trial with
 * the parameter, the value and the range (Optuna only warns and uses it anyway).
 */
export class PartialFixedSampler implements Sampler {
  private readonly fixed: ReadonlyMap<string, ParamValue>;
  readonly ignoresHistory: boolean | undefined;

  constructor(
    fixedParams: Readonly<Record<string, ParamValue>>,
    private readonly base: Sampler,
  ) {
    if (fixedParams === null || typeof fixedParams !== "object") throw new InvalidOptionError("fixedParams", `must be an object of parameter values, got ${String(fixedParams)}.`);
    this.fixed = new Map(Object.entries(fixedParams));
    this.ignoresHistory = base.ignoresHistory;
  }

  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): SearchSpace {
    const space: SearchSpace = {};
    for (const [name, d] of Object.entries(this.base.inferRelativeSearchSpace(study, trial))) if (!this.fixed.has(name)) space[name] = d;
    return space;
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue> {
    return this.base.sampleRelative(study, trial, searchSpace);
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    if (!this.fixed.has(name)) return this.base.sampleIndependent(study, trial, name, distribution);
    const value = this.fixed.get(name) as ParamValue;
    if (!containsValue(distribution, value)) {
      throw new InvalidOptionError("fixedParams", `fixes "${name}" at ${JSON.stringify(value)}, outside the objective's ${describeDistribution(distribution)}.`);
    }
    return value;
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    this.base.beforeTrial?.(study, trial);
  }

  afterTrial(study: StudyView, trial: FrozenTrial, state: TrialState, values: readonly number[] | null): void {
    this.base.afterTrial?.(study, trial, state, values);
  }
}
