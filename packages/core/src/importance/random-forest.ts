import { checkIntegerOption, InvalidOptionError } from "../errors.js";
import { deriveSeed, Rng } from "../rng.js";
import { fitRegressionTree, sortByFeature, type RegressionTree } from "./regression-tree.js";

/** Options of the forest behind the fANOVA and MDI evaluators (Optuna's defaults). */
export interface RandomForestOptions {
  /** @default 64 */
  nTrees?: number;
  /** @default 64 */
  maxDepth?: number;
  /** @default 2 */
  minSamplesSplit?: number;
  /** @default 1 */
  minSamplesLeaf?: number;
  /** Seeds the bootstrap samples: the same seed and data give the same forest. @default 0 */
  seed?: number;
}

/** RandomForestOptions with every default applied. */
export type CompiledForestOptions = Required<RandomForestOptions>;

const DEFAULTS: CompiledForestOptions = { nTrees: 64, maxDepth: 64, minSamplesSplit: 2, minSamplesLeaf: 1, seed: 0 };

/** Applies the defaults and checks the ranges once, so fitting sees plain valid numbers. */
export function compileForestOptions(options: RandomForestOptions = {}): CompiledForestOptions {
  const compiled = { ...DEFAULTS, ...stripUndefined(options) };
  for (const key of ["nTrees", "maxDepth", "minSamplesSplit", "minSamplesLeaf"] as const) {
    checkIntegerOption(key, compiled[key], 1);
  }
  if (!Number.isFinite(compiled.seed)) throw new InvalidOptionError("seed", `must be a finite number, got ${String(compiled.seed)}.`);
  return compiled;
}

/**
 * Fits `nTrees` regression trees, each on a bootstrap sample (n draws with replacement) of the
 * data, with every feature considered at every split, as scikit-learn's RandomForestRegressor
 * with max_features=1.0 does.
 */
export function fitRandomForest(
  features: readonly Float64Array[],
  targets: Float64Array,
  options: CompiledForestOptions,
): RegressionTree[] {
  const n = targets.length;
  const input = { features, targets, order: sortByFeature(features) };
  const trees: RegressionTree[] = [];
  const counts = new Float64Array(n);
  for (let t = 0; t < options.nTrees; t++) {
    const rng = new Rng(deriveSeed(options.seed, "bootstrap", t));
    counts.fill(0);
    for (let k = 0; k < n; k++) {
      const i = rng.int(n);
      counts[i] = (counts[i] as number) + 1;
    }
    trees.push(fitRegressionTree(input, counts, options));
  }
  return trees;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
