import type { FrozenTrial, StudyDirection } from "./frozen-trial.js";
import type { TrialState } from "./trial-state.js";

/** What samplers and pruners may read of a study: its name, directions and trials. */
export interface StudyView {
  readonly studyName: string;
  /** One per objective. */
  readonly directions: readonly StudyDirection[];
  /** The direction of a single-objective study; reading it on a multi-objective study throws. */
  readonly direction: StudyDirection;
  /** The study's trials in number order, optionally only those in `states`. Do not mutate. */
  getTrials(options?: { states?: readonly TrialState[] }): readonly FrozenTrial[];
}
