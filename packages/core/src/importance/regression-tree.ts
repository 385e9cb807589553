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
  let m = 0;
  for (let i = 0; i < n; i++) if ((sampleWeight[i] as number) > 0) m++;
  // Each feature's active samples in that feature's order; a node owns the range [start, end) of
  // every one of these arrays, and the ranges hold the same samples.
  const sorted = input.order.map((order) => activeInOrder(order, sampleWeight, m));
  const members = sorted[0] ?? activeInOrder(Uint32Array.from({ length: n }, (_, i) => i), sampleWeight, m);
  const goesLeft = new Uint8Array(n);
  const buffer = new Uint32Array(m);
  const nodes = new NodeList(Math.max(1, 2 * m - 1));

  // Pending nodes as parallel stacks: node id, range start, range end, depth.
  const stack = new Int32Array(4 * Math.max(1, 2 * m));
  let top = 0;
  const push = (node: number, start: number, end: number, depth: number): void => {
    stack[top++] = node;
    stack[top++] = start;
    stack[top++] = end;
    stack[top++] = depth;
  };
  push(nodes.add(), 0, m, 0);
  while (top > 0) {
    const depth = stack[--top] as number;
    const end = stack[--top] as number;
    const start = stack[--top] as number;
    const node = stack[--top] as number;
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
    push(right, start + nLeft, end, depth + 1);
    push(left, start, start + nLeft, depth + 1);
  }
  return nodes.freeze();
}

/** The samples of `order` whose weight is positive, in the same order. */
function activeInOrder(order: Uint32Array, sampleWeight: Float64Array, count: number): Uint32Array {
  const out = new Uint32Array(count);
  let k = 0;
  for (let j = 0; j < order.length; j++) {
    const i = order[j] as number;
    if ((sampleWeight[i] as number) > 0) out[k++] = i;
  }
  return out;
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

/** Node arrays sized for the most nodes a tree on m samples can have (2m - 1). */
class NodeList {
  private count = 0;
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly value: Float64Array;
  private readonly weight: Float64Array;
  private readonly impurity: Float64Array;

  constructor(capacity: number) {
    this.feature = new Int32Array(capacity).fill(-1);
    this.threshold = new Float64Array(capacity).fill(Number.NaN);
    this.left = new Int32Array(capacity).fill(-1);
    this.right = new Int32Array(capacity).fill(-1);
    this.value = new Float64Array(capacity);
    this.weight = new Float64Array(capacity);
    this.impurity = new Float64Array(capacity);
  }

  add(): number {
    return this.count++;
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
    const n = this.count;
    return {
      nodeCount: n,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      value: this.value.slice(0, n),
      weight: this.weight.slice(0, n),
      impurity: this.impurity.slice(0, n),
    };
  }
}
