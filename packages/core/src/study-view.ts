import type { FrozenTrial, StudyDirection } from "./frozen-trial.js";
import type { TrialState } from "./trial-state.js";

/** What samplers and pruners may read of a study: its name, direction and trials. */
export interface StudyView {
  readonly studyName: string;
  readonly direction: StudyDirection;
  /** The study's trials in number order, optionally only those in `states`. Do not mutate. */
  getTrials(options?: { states?: readonly TrialState[] }): readonly FrozenTrial[];
}
