/**
 * A CART regression tree (squared error), grown the way scikit-learn grows the trees of a
 * RandomForestRegressor: at each node, every feature's best threshold (the midpoint between two
 * neighbouring distinct values), the one that reduces the weighted squared error most.
 *
 * Sample weights carry the bootstrap (a weight of 2 is a sample drawn twice). Each feature's
 * samples are sorted once and kept sorted inside every node by stable partitions, so growing a
 * tree costs O(features x samples x depth) rather than a sort at every node.
 */

/** Limits on how far a tree grows. */
export interface TreeOptions {
  /** Nodes at this depth become leaves (the root is depth 0). */
  readonly maxDepth: number;
  /** A node with less sample weight than this is not split. */
  readonly minSamplesSplit: number;
  /** Each child of a split keeps at least this much sample weight. */
  readonly minSamplesLeaf: number;
}

/** The training set: one column per feature, and the sample order of each column. */
export interface TreeInput {
  /** features[f][i]: feature f of sample i. */
  readonly features: readonly Float64Array[];
  readonly targets: Float64Array;
  /** order[f]: sample indices sorted by feature f (from `sortByFeature`). */
  readonly order: readonly Uint32Array[];
}

/** A fitted tree in flat arrays; node 0 is the root. */
export interface RegressionTree {
  readonly nodeCount: number;
  /** The feature a node splits on, or -1 for a leaf. */
  readonly feature: Int32Array;
  /** Samples with feature <= threshold go left. */
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** The weighted mean target of the node's samples: a leaf's prediction. */
  readonly value: Float64Array;
  /** The node's total sample weight. */
  readonly weight: Float64Array;
  /** The weighted variance of the node's targets. */
  readonly impurity: Float64Array;
}

/** For each feature, the sample indices in increasing order of that feature. */
export function sortByFeature(features: readonly Float64Array[]): Uint32Array[] {
  return features.map((column) => {
    const order = Uint32Array.from(column, (_, i) => i);
    return order.sort((a, b) => (column[a] as number) - (column[b] as number) || a - b);
  });
}

/** Grows one tree on the samples with weight > 0. */
export function fitRegressionTree(input: TreeInput, sampleWeight: Float64Array, options: TreeOptions): RegressionTree {
  const { features, targets } = input;
  const n = targets.length;
  // Each feature's active samples in that feature's order; a node owns the range [start, end) of
  // every one of these arrays, and the ranges hold the same samples.
  const sorted = input.order.map((o) => o.filter((i) => (sampleWeight[i] as number) > 0));
  const samples = sorted[0] ?? Uint32Array.from({ length: n }, (_, i) => i).filter((i) => (sampleWeight[i] as number) > 0);
  const goesLeft = new Uint8Array(n);
  const buffer = new Uint32Array(samples.length);
  const nodes = new NodeList();

  const stack: Array<{ node: number; start: number; end: number; depth: number }> = [];
  stack.push({ node: nodes.add(), start: 0, end: samples.length, depth: 0 });
  while (stack.length > 0) {
    const { node, start, end, depth } = stack.pop() as (typeof stack)[number];
    const members = sorted[0] ?? samples;
    let w = 0;
    let s = 0;
    let ss = 0;
    for (let k = start; k < end; k++) {
      const i = members[k] as number;
      const wi = sampleWeight[i] as number;
      const yi = targets[i] as number;
      w += wi;
      s += wi * yi;
      ss += wi * yi * yi;
    }
    const mean = s / w;
    const impurity = Math.max(0, ss / w - mean * mean);
    nodes.setStats(node, mean, w, impurity);
    if (depth >= options.maxDepth || w < options.minSamplesSplit || impurity <= 1e-12 * Math.max(1, mean * mean)) continue;

    const split = bestSplit(features, targets, sampleWeight, sorted, start, end, w, s, options.minSamplesLeaf);
    if (split === null) continue;

    const column = features[split.feature] as Float64Array;
    let nLeft = 0;
    for (let k = start; k < end; k++) {
      const i = members[k] as number;
      const left = (column[i] as number) <= split.threshold;
      goesLeft[i] = left ? 1 : 0;
      if (left) nLeft++;
    }
    for (const order of sorted) stablePartition(order, start, end, goesLeft, buffer);

    const left = nodes.add();
    const right = nodes.add();
    nodes.setSplit(node, split.feature, split.threshold, left, right);
    stack.push({ node: right, start: start + nLeft, end, depth: depth + 1 });
    stack.push({ node: left, start, end: start + nLeft, depth: depth + 1 });
  }
  return nodes.freeze();
}

/** The tree's prediction for one sample (`x[f]` is feature f). */
export function predictTree(tree: RegressionTree, x: ArrayLike<number>): number {
  let node = 0;
  while ((tree.feature[node] as number) >= 0) {
    const f = tree.feature[node] as number;
    node = (x[f] as number) <= (tree.threshold[node] as number) ? (tree.left[node] as number) : (tree.right[node] as number);
  }
  return tree.value[node] as number;
}

/**
 * The split that maximises sl²/wl + sr²/wr, which is the same as minimising the children's
 * weighted squared error. Ties keep the first feature and the lowest threshold, so a tree is a
 * pure function of its input.
 */
function bestSplit(
  features: readonly Float64Array[],
  targets: Float64Array,
  sampleWeight: Float64Array,
  sorted: readonly Uint32Array[],
  start: number,
  end: number,
  w: number,
  s: number,
  minLeaf: number,
): { feature: number; threshold: number } | null {
  let bestScore = Number.NEGATIVE_INFINITY;
  let best: { feature: number; threshold: number } | null = null;
  for (let f = 0; f < features.length; f++) {
    const column = features[f] as Float64Array;
    const order = sorted[f] as Uint32Array;
    let wl = 0;
    let sl = 0;
    for (let k = start; k < end - 1; k++) {
      const i = order[k] as number;
      const wi = sampleWeight[i] as number;
      wl += wi;
      sl += wi * (targets[i] as number);
      const xa = column[i] as number;
      const xb = column[order[k + 1] as number] as number;
      if (xb <= xa) continue;
      const wr = w - wl;
      if (wl < minLeaf || wr < minLeaf) continue;
      const sr = s - sl;
      const score = (sl * sl) / wl + (sr * sr) / wr;
      if (score > bestScore) {
        bestScore = score;
        let threshold = (xa + xb) / 2;
        if (threshold >= xb) threshold = xa;
        best = { feature: f, threshold };
      }
    }
  }
  return best;
}

/** Moves order[start, end)'s left-going samples before the right-going ones, each keeping its order. */
function stablePartition(order: Uint32Array, start: number, end: number, goesLeft: Uint8Array, buffer: Uint32Array): void {
  let l = start;
  let r = 0;
  for (let k = start; k < end; k++) {
    const i = order[k] as number;
    if (goesLeft[i] === 1) order[l++] = i;
    else buffer[r++] = i;
  }
  order.set(buffer.subarray(0, r), l);
}

/** Growable node arrays. */
class NodeList {
  private feature: number[] = [];
  private threshold: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private value: number[] = [];
  private weight: number[] = [];
  private impurity: number[] = [];

  add(): number {
    this.feature.push(-1);
    this.threshold.push(Number.NaN);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(0);
    this.weight.push(0);
    this.impurity.push(0);
    return this.feature.length - 1;
  }

  setStats(node: number, value: number, weight: number, impurity: number): void {
    this.value[node] = value;
    this.weight[node] = weight;
    this.impurity[node] = impurity;
  }

  setSplit(node: number, feature: number, threshold: number, left: number, right: number): void {
    this.feature[node] = feature;
    this.threshold[node] = threshold;
    this.left[node] = left;
    this.right[node] = right;
  }

  freeze(): RegressionTree {
    return {
      nodeCount: this.feature.length,
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      weight: Float64Array.from(this.weight),
      impurity: Float64Array.from(this.impurity),
    };
  }
}
