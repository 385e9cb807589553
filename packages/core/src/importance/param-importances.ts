import type { StudyView } from "../study-view.js";
import { FanovaImportanceEvaluator } from "./fanova.js";
import type { ImportanceTarget } from "./importance-data.js";
import type { ImportanceEvaluator } from "./importance-evaluator.js";

/** Options of getParamImportances. */
export interface ParamImportancesOptions extends ImportanceTarget {
  /** @default new FanovaImportanceEvaluator() (seed 0, so the result is reproducible) */
  evaluator?: ImportanceEvaluator | undefined;
  /** Scale the importances to sum to 1. @default true */
  normalize?: boolean | undefined;
}

/**
 * Each parameter's importance for the study's objective (or `target`), most important first, as
 * Optuna's `get_param_importances`. Normalised to sum to 1, unless the target never varied, in
 * which case every importance is 0. Throws ImportanceError with fewer than two completed trials.
 */
export function getParamImportances(study: StudyView, options: ParamImportancesOptions = {}): Record<string, number> {
  const evaluator = options.evaluator ?? new FanovaImportanceEvaluator();
  const scores = evaluator.evaluate(study, { params: options.params, target: options.target });
  const entries = Object.entries(scores);
  const total = entries.reduce((sum, [, v]) => sum + v, 0);
  const scale = (options.normalize ?? true) && total > 0 ? 1 / total : 1;
  entries.sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([name, v]) => [name, v * scale]));
}
