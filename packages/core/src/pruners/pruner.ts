import type { FrozenTrial } from "../frozen-trial.js";
import type { StudyView } from "../study-view.js";

/** Decides from intermediate values whether a running trial should stop (`trial.shouldPrune()`). */
export interface Pruner {
  prune(study: StudyView, trial: FrozenTrial): boolean;
}
