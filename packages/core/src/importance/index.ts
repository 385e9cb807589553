/** Parameter importances: which hyperparameters matter for the objective. */
export { FanovaImportanceEvaluator } from "./fanova.js";
export { ImportanceError } from "./importance-error.js";
export type { ImportanceTarget } from "./importance-data.js";
export { MeanDecreaseImpurityImportanceEvaluator } from "./mean-decrease-impurity.js";
export type { ImportanceEvaluator } from "./importance-evaluator.js";
export { getParamImportances, type ParamImportancesOptions } from "./param-importances.js";
export type { RandomForestOptions } from "./random-forest.js";
