import type { FrozenTrial, StudyDirection } from "./frozen-trial.js";
import type { TrialState } from "./trial-state.js";

/** What samplers and pruners may read of a study: its name, directions and trials. */
export interface StudyView {
  readonly studyName: string;
  /** One per objective. */
  readonly directions: readonly StudyDirection[];
  /** The direction of a single-objective study; reading it on a multi-objective study throws. */
  readonly direction: StudyDirection;
  /**
   * Records a system attr on one of the study's trials (how a sampler keeps what it decided with
   * the trial, as Optuna's samplers do: the trial's NSGA-II generation, its constraint values).
   * Absent on read-only views.
   */
  setTrialSystemAttr?(trialId: number, key: string, value: unknown): void;
  /**
   * Asks the study to start no new trial (running ones finish), as a sampler that has nothing
   * left to sample does (GridSampler once its grid is done). Absent on read-only views.
   */
  stop?(): void;
  /** The study's trials in number order, optionally only those in `states`. Do not mutate. */
  getTrials(options?: { states?: readonly TrialState[] }): readonly FrozenTrial[];
}
