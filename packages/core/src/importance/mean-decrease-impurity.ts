import type { StudyView } from "../study-view.js";
import { prepareImportanceData, type ImportanceTarget } from "./importance-data.js";
import type { ImportanceEvaluator } from "./importance-evaluator.js";
import { compileForestOptions, fitRandomForest, type CompiledForestOptions, type RandomForestOptions } from "./random-forest.js";
import type { RegressionTree } from "./regression-tree.js";

/**
 * Mean decrease in impurity, as Optuna's MeanDecreaseImpurityImportanceEvaluator (scikit-learn's
 * `feature_importances_`): how much the forest's splits on a parameter reduce the squared error,
 * each tree's shares normalised, averaged over the trees. Faster than fANOVA; it favours
 * parameters with many distinct values. Deterministic for a given seed (default 0).
 */
export class MeanDecreaseImpurityImportanceEvaluator implements ImportanceEvaluator {
  private readonly options: CompiledForestOptions;

  constructor(options: RandomForestOptions = {}) {
    this.options = compileForestOptions(options);
  }

  evaluate(study: StudyView, options: ImportanceTarget = {}): Record<string, number> {
    const data = prepareImportanceData(study, options);
    const scores = new Float64Array(data.names.length);
    if (data.names.length > 0) {
      const trees = fitRandomForest(data.features, data.targets, this.options);
      for (const tree of trees) {
        const decrease = impurityDecrease(tree, scores.length);
        const total = decrease.reduce((a, b) => a + b, 0);
        if (total <= 0) continue;
        for (let f = 0; f < scores.length; f++) scores[f] = (scores[f] as number) + (decrease[f] as number) / total / trees.length;
      }
    }
    return {
      ...Object.fromEntries(data.names.map((name, f) => [name, scores[f] as number])),
      ...Object.fromEntries(data.singleNames.map((name) => [name, 0])),
    };
  }
}

/** Per feature, the sum over its splits of weight x impurity lost from parent to children. */
function impurityDecrease(tree: RegressionTree, nFeatures: number): Float64Array {
  const out = new Float64Array(nFeatures);
  for (let node = 0; node < tree.nodeCount; node++) {
    const f = tree.feature[node] as number;
    if (f < 0) continue;
    const l = tree.left[node] as number;
    const r = tree.right[node] as number;
    const parent = (tree.weight[node] as number) * (tree.impurity[node] as number);
    const children = (tree.weight[l] as number) * (tree.impurity[l] as number) + (tree.weight[r] as number) * (tree.impurity[r] as number);
    out[f] = (out[f] as number) + Math.max(0, parent - children);
  }
  return out;
}
