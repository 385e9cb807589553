import type { StudyView } from "../study-view.js";
import type { ImportanceTarget } from "./importance-data.js";

/** Scores how much each parameter explains of a study's target. */
export interface ImportanceEvaluator {
  /**
   * Non-negative scores by parameter name, for the completed trials' shared parameters (or
   * `params`). `getParamImportances` normalises and sorts them.
   */
  evaluate(study: StudyView, options?: ImportanceTarget): Record<string, number>;
}
