import type { RegressionTree } from "./regression-tree.js";

/** One tree's functional ANOVA: the variance of its predictions and of each feature's main effect. */
export interface TreeDecomposition {
  /** The variance of the tree's prediction over the whole (uniform) domain. */
  readonly variance: number;
  /** mainEffectVariance[f]: the variance of the prediction averaged over every feature but f. */
  readonly mainEffectVariance: Float64Array;
}

/**
 * Decomposes a tree over the box `bounds` with the uniform measure (Hutter et al. 2014). A tree
 * is piecewise constant on its leaves' boxes, so every integral is a sum over leaves.
 *
 * Feature f's split thresholds cut its range into intervals on which the marginal prediction is
 * constant. A leaf covers a contiguous run of those intervals and adds value x (its volume in the
 * other features) to each, which a difference array does in O(1) per leaf.
 */
export function decomposeTree(tree: RegressionTree, bounds: ReadonlyArray<readonly [number, number]>): TreeDecomposition {
  const d = bounds.length;
  const leaves = leafBoxes(tree, bounds);
  const nLeaves = leaves.values.length;
  const span = bounds.map(([lo, hi]) => hi - lo);

  // Each leaf's share of the domain's volume, per feature and in total.
  const fractions = new Float64Array(nLeaves * d);
  const volume = new Float64Array(nLeaves);
  for (let l = 0; l < nLeaves; l++) {
    let v = 1;
    for (let f = 0; f < d; f++) {
      const frac = span[f] === 0 ? 1 : ((leaves.hi[l * d + f] as number) - (leaves.lo[l * d + f] as number)) / (span[f] as number);
      fractions[l * d + f] = frac;
      v *= frac;
    }
    volume[l] = v;
  }
  const variance = weightedVariance(leaves.values, volume);

  const mainEffectVariance = new Float64Array(d);
  for (let f = 0; f < d; f++) {
    const cuts = splitPoints(tree, f, bounds[f] as readonly [number, number]);
    const sums = new Float64Array(cuts.length);
    for (let l = 0; l < nLeaves; l++) {
      let other = 1;
      for (let g = 0; g < d; g++) if (g !== f) other *= fractions[l * d + g] as number;
      const contribution = (leaves.values[l] as number) * other;
      const a = indexOf(cuts, leaves.lo[l * d + f] as number);
      const b = indexOf(cuts, leaves.hi[l * d + f] as number);
      sums[a] = (sums[a] as number) + contribution;
      sums[b] = (sums[b] as number) - contribution;
    }
    const marginal = new Float64Array(cuts.length - 1);
    const width = new Float64Array(cuts.length - 1);
    let running = 0;
    for (let k = 0; k < marginal.length; k++) {
      running += sums[k] as number;
      marginal[k] = running;
      width[k] = (cuts[k + 1] as number) - (cuts[k] as number);
    }
    mainEffectVariance[f] = weightedVariance(marginal, width);
  }
  return { variance, mainEffectVariance };
}

/** The box of every leaf, clipped to the domain: lo/hi[leaf * d + f]. */
function leafBoxes(tree: RegressionTree, bounds: ReadonlyArray<readonly [number, number]>): { values: Float64Array; lo: Float64Array; hi: Float64Array } {
  const d = bounds.length;
  // A binary tree with k splits has k + 1 leaves.
  const nLeaves = (tree.nodeCount + 1) / 2;
  const values = new Float64Array(nLeaves);
  const lo = new Float64Array(nLeaves * d);
  const hi = new Float64Array(nLeaves * d);
  const boxLo = Float64Array.from(bounds, (b) => b[0]);
  const boxHi = Float64Array.from(bounds, (b) => b[1]);
  let leaf = 0;
  // Depth-first, narrowing the one shared box on the way down and restoring it on the way up.
  const visit = (node: number): void => {
    const f = tree.feature[node] as number;
    if (f < 0) {
      values[leaf] = tree.value[node] as number;
      lo.set(boxLo, leaf * d);
      hi.set(boxHi, leaf * d);
      leaf++;
      return;
    }
    const t = clamp(tree.threshold[node] as number, boxLo[f] as number, boxHi[f] as number);
    const savedHi = boxHi[f] as number;
    boxHi[f] = t;
    visit(tree.left[node] as number);
    boxHi[f] = savedHi;
    const savedLo = boxLo[f] as number;
    boxLo[f] = t;
    visit(tree.right[node] as number);
    boxLo[f] = savedLo;
  };
  visit(0);
  return { values, lo, hi };
}

/** The domain's ends and every threshold the tree uses on feature f, sorted and distinct. */
function splitPoints(tree: RegressionTree, f: number, [low, high]: readonly [number, number]): Float64Array {
  const points: number[] = [low, high];
  for (let node = 0; node < tree.nodeCount; node++) {
    if (tree.feature[node] === f) points.push(clamp(tree.threshold[node] as number, low, high));
  }
  const sorted = Float64Array.from(points).sort();
  let k = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[k - 1]) sorted[k++] = sorted[i] as number;
  return sorted.subarray(0, k);
}

/** The index of `value` in the sorted `cuts` (it is always there: boxes are cut at these points). */
function indexOf(cuts: Float64Array, value: number): number {
  let lo = 0;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cuts[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function weightedVariance(values: Float64Array, weights: Float64Array): number {
  let w = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    w += weights[i] as number;
    s += (weights[i] as number) * (values[i] as number);
  }
  if (w <= 0) return 0;
  const mean = s / w;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (weights[i] as number) * ((values[i] as number) - mean) ** 2;
  return v / w;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
