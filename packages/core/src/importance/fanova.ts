import type { StudyView } from "../study-view.js";
import { decomposeTree } from "./fanova-tree.js";
import { prepareImportanceData, type ImportanceTarget } from "./importance-data.js";
import type { ImportanceEvaluator } from "./importance-evaluator.js";
import { compileForestOptions, fitRandomForest, type CompiledForestOptions, type RandomForestOptions } from "./random-forest.js";

/**
 * fANOVA (Hutter, Hoos and Leyton-Brown, 2014), as Optuna's default evaluator: a random forest
 * predicts the target from the parameters, and a parameter's importance is the share of the
 * prediction's variance that its main effect (the prediction averaged over all other parameters)
 * explains, averaged over the trees.
 *
 * Log parameters are measured in log space and categorical ones by choice, each choice weighing
 * the same. Deterministic for a given seed (default 0).
 */
export class FanovaImportanceEvaluator implements ImportanceEvaluator {
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
        const { variance, mainEffectVariance } = decomposeTree(tree, data.bounds);
        if (variance <= 0) continue;
        for (let f = 0; f < scores.length; f++) scores[f] = (scores[f] as number) + (mainEffectVariance[f] as number) / variance / trees.length;
      }
    }
    return {
      ...Object.fromEntries(data.names.map((name, f) => [name, scores[f] as number])),
      ...Object.fromEntries(data.singleNames.map((name) => [name, 0])),
    };
  }
}
