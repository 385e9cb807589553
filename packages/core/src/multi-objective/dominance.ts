/**
 * Pareto dominance, for loss vectors: every objective minimised (a maximised objective is
 * negated before it gets here, see `toLosses`). Shared by the multi-objective samplers, the
 * study's best trials, the plots and the benchmarks.
 */

/** A point in objective space, every coordinate to be minimised. */
export type Losses = readonly number[];

/** Whether `a` dominates `b`: no worse in every objective and better in at least one. */
export function dominates(a: Losses, b: Losses): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

/**
 * The total constraint violation of a trial's constraint values (Optuna's rule: a value <= 0 is
 * satisfied; the violation is the sum of the positive ones). NaN counts as infinitely violated.
 */
export function constraintViolation(constraints: readonly number[]): number {
  let sum = 0;
  for (const c of constraints) {
    if (Number.isNaN(c)) return Number.POSITIVE_INFINITY;
    if (c > 0) sum += c;
  }
  return sum;
}

/**
 * Constrained domination (Deb's rule, as Optuna's NSGA-II): a feasible point dominates an
 * infeasible one; of two infeasible points, the smaller violation dominates; of two feasible
 * points, plain dominance decides. `violationA`/`violationB` come from `constraintViolation`
 * (0 when feasible).
 */
export function constrainedDominates(a: Losses, violationA: number, b: Losses, violationB: number): boolean {
  const feasibleA = violationA <= 0;
  const feasibleB = violationB <= 0;
  if (feasibleA && feasibleB) return dominates(a, b);
  if (feasibleA) return true;
  if (feasibleB) return false;
  return violationA < violationB;
}

/**
 * Non-dominated sorting (Deb et al.'s fast sort, O(M N^2)): `ranks[i]` is the front of point i,
 * 0 for the Pareto front. Equal points share a front. With `violations`, constrained domination
 * is used instead of plain dominance. `maxRank` stops once that many points have a rank (the
 * rest get `Infinity`), which is all NSGA-II's selection needs.
 */
export function nonDominatedRanks(points: readonly Losses[], options: { violations?: readonly number[]; stopAfter?: number } = {}): number[] {
  const n = points.length;
  const { violations, stopAfter = n } = options;
  const dominatedBy = new Int32Array(n); // how many points dominate i
  const dominating: number[][] = Array.from({ length: n }, () => []);
  const beats = violations
    ? (i: number, j: number) => constrainedDominates(points[i]!, violations[i]!, points[j]!, violations[j]!)
    : (i: number, j: number) => dominates(points[i]!, points[j]!);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (beats(i, j)) {
        dominating[i]!.push(j);
        dominatedBy[j]! += 1;
      } else if (beats(j, i)) {
        dominating[j]!.push(i);
        dominatedBy[i]! += 1;
      }
    }
  }
  const ranks = new Array<number>(n).fill(Number.POSITIVE_INFINITY);
  let front: number[] = [];
  for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) front.push(i);
  let ranked = 0;
  for (let rank = 0; front.length > 0 && ranked < stopAfter; rank++) {
    const next: number[] = [];
    for (const i of front) {
      ranks[i] = rank;
      ranked += 1;
      for (const j of dominating[i]!) {
        dominatedBy[j]! -= 1;
        if (dominatedBy[j] === 0) next.push(j);
      }
    }
    front = next;
  }
  return ranks;
}

/**
 * The indices of the non-dominated points, in input order. Duplicates of a front point are all
 * kept (Optuna's `best_trials` keeps every trial on the front). O(N log N) for two objectives,
 * O(M N^2) beyond.
 */
export function paretoFrontIndices(points: readonly Losses[]): number[] {
  if (points.length === 0) return [];
  if (points[0]!.length === 2) return paretoFront2d(points);
  const ranks = nonDominatedRanks(points, { stopAfter: 1 });
  const front: number[] = [];
  for (let i = 0; i < ranks.length; i++) if (ranks[i] === 0) front.push(i);
  return front;
}

function paretoFront2d(points: readonly Losses[]): number[] {
  const order = points.map((_, i) => i).sort((i, j) => points[i]![0]! - points[j]![0]! || points[i]![1]! - points[j]![1]!);
  const keep: number[] = [];
  let bestY = 0;
  // Points sharing the same x: only those with the group's smallest y can be on the front.
  for (let k = 0; k < order.length; ) {
    const x = points[order[k]!]![0]!;
    const groupY = points[order[k]!]![1]!;
    let end = k;
    while (end < order.length && points[order[end]!]![0] === x) end++;
    // A group whose best y only ties an earlier (smaller-x) point's y is dominated by it.
    if (keep.length === 0 || groupY < bestY) {
      for (let m = k; m < end && points[order[m]!]![1] === groupY; m++) keep.push(order[m]!);
      bestY = groupY;
    }
    k = end;
  }
  return keep.sort((a, b) => a - b);
}

/** Turns objective values into losses: maximised objectives negated. */
export function toLosses(values: readonly number[], directions: readonly ("minimize" | "maximize")[]): number[] {
  return values.map((v, i) => (directions[i] === "maximize" ? -v : v));
}
