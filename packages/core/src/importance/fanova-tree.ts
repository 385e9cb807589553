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
 * Feature f's split thresholds cut its range into intervals on which its marginal prediction (the
 * prediction averaged over the other features) is constant. A leaf covers a contiguous run of
 * those intervals and adds value x (its volume in the other features) to each of them, which a
 * difference array records in O(1). One depth-first walk that tracks each box both as values and
 * as interval indices visits every leaf once: O(leaves x features) per tree.
 */
export function decomposeTree(tree: RegressionTree, bounds: ReadonlyArray<readonly [number, number]>): TreeDecomposition {
  const d = bounds.length;
  const span = bounds.map(([lo, hi]) => (hi > lo ? hi - lo : 1));
  const cuts = bounds.map((b, f) => splitPoints(tree, f, b));
  const cutIndex = new Int32Array(tree.nodeCount);
  for (let node = 0; node < tree.nodeCount; node++) {
    const f = tree.feature[node] as number;
    if (f >= 0) cutIndex[node] = indexOf(cuts[f] as Float64Array, clamp(tree.threshold[node] as number, bounds[f] as readonly [number, number]));
  }

  // The current box, as values and as indices into each feature's cuts.
  const boxLo = Float64Array.from(bounds, (b) => b[0]);
  const boxHi = Float64Array.from(bounds, (b) => b[1]);
  const loIdx = new Int32Array(d);
  const hiIdx = Int32Array.from(cuts, (c) => c.length - 1);
  const diffs = cuts.map((c) => new Float64Array(c.length));
  const leafValues: number[] = [];
  const leafVolumes: number[] = [];

  const visit = (node: number): void => {
    const f = tree.feature[node] as number;
    if (f < 0) {
      const value = tree.value[node] as number;
      let volume = 1;
      for (let g = 0; g < d; g++) volume *= ((boxHi[g] as number) - (boxLo[g] as number)) / (span[g] as number);
      leafValues.push(value);
      leafVolumes.push(volume);
      if (volume <= 0) return;
      for (let g = 0; g < d; g++) {
        const share = ((boxHi[g] as number) - (boxLo[g] as number)) / (span[g] as number);
        const contribution = (value * volume) / share;
        const diff = diffs[g] as Float64Array;
        diff[loIdx[g] as number] = (diff[loIdx[g] as number] as number) + contribution;
        diff[hiIdx[g] as number] = (diff[hiIdx[g] as number] as number) - contribution;
      }
      return;
    }
    const k = Math.min(Math.max(cutIndex[node] as number, loIdx[f] as number), hiIdx[f] as number);
    const t = (cuts[f] as Float64Array)[k] as number;
    const savedHi = boxHi[f] as number;
    const savedHiIdx = hiIdx[f] as number;
    boxHi[f] = t;
    hiIdx[f] = k;
    visit(tree.left[node] as number);
    boxHi[f] = savedHi;
    hiIdx[f] = savedHiIdx;
    const savedLo = boxLo[f] as number;
    const savedLoIdx = loIdx[f] as number;
    boxLo[f] = t;
    loIdx[f] = k;
    visit(tree.right[node] as number);
    boxLo[f] = savedLo;
    loIdx[f] = savedLoIdx;
  };
  visit(0);

  const variance = weightedVariance(Float64Array.from(leafValues), Float64Array.from(leafVolumes));
  const mainEffectVariance = new Float64Array(d);
  for (let f = 0; f < d; f++) {
    const c = cuts[f] as Float64Array;
    const diff = diffs[f] as Float64Array;
    const marginal = new Float64Array(c.length - 1);
    const width = new Float64Array(c.length - 1);
    let running = 0;
    for (let k = 0; k < marginal.length; k++) {
      running += diff[k] as number;
      marginal[k] = running;
      width[k] = (c[k + 1] as number) - (c[k] as number);
    }
    mainEffectVariance[f] = weightedVariance(marginal, width);
  }
  return { variance, mainEffectVariance };
}

/** The domain's ends and every threshold the tree uses on feature f, sorted and distinct. */
function splitPoints(tree: RegressionTree, f: number, range: readonly [number, number]): Float64Array {
  const points: number[] = [range[0], range[1]];
  for (let node = 0; node < tree.nodeCount; node++) {
    if (tree.feature[node] === f) points.push(clamp(tree.threshold[node] as number, range));
  }
  const sorted = new Float64Array(points).sort();
  let k = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[k - 1]) sorted[k++] = sorted[i] as number;
  return sorted.slice(0, k);
}

/** The index of `value` in the sorted `cuts` (it is always there: cuts hold every threshold). */
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

function clamp(x: number, [lo, hi]: readonly [number, number]): number {
  return x < lo ? lo : x > hi ? hi : x;
}
