/**
 * The Optuna tutorial's objective: a random forest on iris, three hyperparameters, validation
 * accuracy to maximise. `shoal optimize ./objective.ts --direction maximize` runs it.
 */
import type { BaseTrial } from "@shoal/core";
import { RandomForestClassifier } from "ml-random-forest";
import { SEED, xTrain, xVal, yTrain, yVal } from "./data.js";

const N_FEATURES = xTrain[0]!.length;

/**
 * sklearn's default `max_features="sqrt"`: 2 of iris's 4 features. ml-random-forest draws them once
 * per tree, not at every split as sklearn does. (An integer 1 would read as the fraction 1.0.)
 */
const MAX_FEATURES = Math.floor(Math.sqrt(N_FEATURES));

export function objective(trial: BaseTrial): number {
  const model = trainForest(trial);
  return accuracy(yVal, model.predict(xVal));
}

/** The tutorial's forest with the trial's three hyperparameters, trained on the 120 training flowers. */
export function trainForest(trial: BaseTrial): RandomForestClassifier {
  const nEstimators = trial.suggestInt("n_estimators", 10, 100);
  const maxDepth = trial.suggestInt("max_depth", 3, 20);
  const minSamplesSplit = trial.suggestFloat("min_samples_split", 0.1, 1.0);

  const model = new RandomForestClassifier({
    nEstimators,
    maxFeatures: MAX_FEATURES,
    replacement: false, // distinct features, as sklearn
    useSampleBagging: true, // a bootstrap sample per tree, as sklearn's bootstrap=True
    noOOB: true, // sklearn's oob_score=False; skips the out-of-bag predictions
    seed: SEED,
    treeOptions: {
      gainFunction: "gini",
      maxDepth, // the root is depth 0 in both libraries: the same max_depth
      // ml-cart makes a leaf of a node with <= minNumSamples rows; sklearn splits a node that has
      // >= ceil(fraction * n_train) samples.
      minNumSamples: minSamplesSplitCount(minSamplesSplit, xTrain.length) - 1,
      gainThreshold: 0, // sklearn's min_impurity_decrease=0 (ml-cart's default is 0.01)
    },
  });
  model.train(xTrain, yTrain);
  return model;
}

/** sklearn's float `min_samples_split`: `max(2, ceil(fraction * n_samples))` samples. */
export function minSamplesSplitCount(fraction: number, nSamples: number): number {
  return Math.max(2, Math.ceil(fraction * nSamples));
}

/** The fraction of predictions equal to the labels, as sklearn's `accuracy_score`. */
export function accuracy(expected: readonly number[], predicted: readonly number[]): number {
  let correct = 0;
  for (let i = 0; i < expected.length; i++) if (predicted[i] === expected[i]) correct++;
  return correct / expected.length;
}
