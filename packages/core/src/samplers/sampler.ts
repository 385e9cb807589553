import type { Distribution, ParamValue } from "../distributions.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { StudyView } from "../study-view.js";
import type { TrialState } from "../trial-state.js";

/** The parameters a relative sampler samples jointly, by name. */
export type SearchSpace = Record<string, Distribution>;

/**
 * How a study picks parameter values, as in Optuna's BaseSampler. At the start of a trial the
 * study asks for the relative search space and samples it jointly (`sampleRelative`); any
 * parameter outside it is sampled on its own when the objective suggests it (`sampleIndependent`).
 */
export interface Sampler {
  /** The parameters to sample jointly for this trial; `{}` for a sampler that never does. */
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): SearchSpace;
  /** Values for (a subset of) the relative search space. */
  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue>;
  /** A value for one parameter, sampled on its own. Must return a value of `distribution`. */
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  /** Called when a trial starts, before any sampling. */
  beforeTrial?(study: StudyView, trial: FrozenTrial): void;
  /** Called when a trial finishes, before its state is stored. */
  afterTrial?(study: StudyView, trial: FrozenTrial, state: TrialState, values: readonly number[] | null): void;
  /**
   * True when no sample depends on other trials (random search): sampling a trial early then
   * costs nothing, so the cluster's coordinator queues such trials further ahead of its workers.
   */
  readonly ignoresHistory?: boolean;
}
