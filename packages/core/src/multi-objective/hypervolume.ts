import { type Losses, paretoFrontIndices } from "./dominance.js";

/**
 * The exact hypervolume dominated by `points` (losses, every objective minimised) and bounded by
 * `reference`: the measure of { z : some p <= z < reference }. Points that do not strictly
 * dominate the reference point add nothing. Two objectives by a sort (O(N log N)), three by a
 * sweep over the third (O(N^2)), more by WFG's exclusive-volume recursion, which drops to the
 * three-objective sweep at its leaves.
 */
export function hypervolume(points: readonly Losses[], reference: Losses): number {
  const m = reference.length;
  for (const p of points) {
    if (p.length !== m) throw new RangeError(`hypervolume: a point has ${p.length} objectives, the reference point ${m}`);
  }
  for (const r of reference) {
    if (Number.isNaN(r)) throw new RangeError("hypervolume: the reference point holds NaN");
  }
  const inside = points.filter((p) => p.every((x, i) => x < reference[i]!));
  if (inside.length === 0) return 0;
  return volumeOf(nondominatedUnique(inside), reference);
}

/**
 * Each point's exclusive contribution: the hypervolume lost if it alone were removed (0 for a
 * dominated point or a duplicate). MOTPE weights its good trials by these.
 */
export function hypervolumeContributions(points: readonly Losses[], reference: Losses): number[] {
  const n = points.length;
  const out = new Array<number>(n).fill(0);
  const inside = points.map((p) => p.every((x, i) => x < reference[i]!));
  const front = paretoFrontIndices(points).filter((i) => inside[i]);
  const seen = new Set<string>();
  for (const i of front) {
    const key = points[i]!.join(",");
    if (seen.has(key)) continue; // a duplicate of a front point: removing one copy loses nothing
    const duplicated = front.some((j) => j !== i && points[j]!.every((x, k) => x === points[i]![k]));
    if (duplicated) {
      seen.add(key);
      continue;
    }
    // Every other point, not just the front: a point that only i dominates is exposed without i.
    const others = points.filter((_, j) => j !== i && inside[j]);
    out[i] = exclusiveVolume(points[i]!, others, reference);
  }
  return out;
}

/** The volume of the box between p and the reference point. */
function boxVolume(p: Losses, reference: Losses): number {
  let v = 1;
  for (let i = 0; i < p.length; i++) v *= reference[i]! - p[i]!;
  return v;
}

/**
 * The volume `p` adds to the hypervolume of `others` under `reference` (0 when p does not
 * strictly dominate the reference point).
 */
export function hypervolumeGain(p: Losses, others: readonly Losses[], reference: Losses): number {
  if (!p.every((x, i) => x < reference[i]!)) return 0;
  return exclusiveVolume(p, others, reference);
}

/**
 * Greedy hypervolume subset selection: `k` indices of `points` picked one at a time, each the
 * point adding the most hypervolume to those already picked (ties to the lower index). The
 * greedy choice is within a factor 1 - 1/e of the best subset; MOTPE breaks ties in the last
 * non-domination rank with it. Gains only shrink as the subset grows, so a point's stale gain is
 * an upper bound and is recomputed only when it could win (lazy greedy).
 */
export function selectHypervolumeSubset(points: readonly Losses[], k: number, reference: Losses): number[] {
  const n = points.length;
  if (k >= n) return points.map((_, i) => i);
  const chosen: number[] = [];
  const chosenPoints: Losses[] = [];
  const bound = points.map((p) => hypervolumeGain(p, [], reference));
  const fresh = new Array<number>(n).fill(0); // the subset size at which bound[i] was computed
  const taken = new Array<boolean>(n).fill(false);
  while (chosen.length < k) {
    for (;;) {
      let best = -1;
      for (let i = 0; i < n; i++) if (!taken[i] && (best < 0 || bound[i]! > bound[best]!)) best = i;
      if (fresh[best] === chosen.length) {
        taken[best] = true;
        chosen.push(best);
        chosenPoints.push(points[best]!);
        break;
      }
      bound[best] = hypervolumeGain(points[best]!, chosenPoints, reference);
      fresh[best] = chosen.length;
    }
  }
  return chosen;
}

/** Volume dominated by p and by none of `others`. */
function exclusiveVolume(p: Losses, others: readonly Losses[], reference: Losses): number {
  const limited = others.map((q) => q.map((x, i) => Math.max(x, p[i]!)));
  const limitedInside = limited.filter((q) => q.every((x, i) => x < reference[i]!));
  const overlap = limitedInside.length === 0 ? 0 : volumeOf(nondominatedUnique(limitedInside), reference);
  return boxVolume(p, reference) - overlap;
}

/** The volume of a set of mutually non-dominated points, all strictly inside the reference box. */
function volumeOf(points: readonly Losses[], reference: Losses): number {
  if (points.length === 1) return boxVolume(points[0]!, reference);
  switch (reference.length) {
    case 1:
      return reference[0]! - Math.min(...points.map((p) => p[0]!));
    case 2:
      return volume2d(points, reference);
    case 3:
      return volume3d(points, reference);
    default:
      return volumeWfg(points, reference);
  }
}

function volume2d(points: readonly Losses[], reference: Losses): number {
  const sorted = [...points].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let volume = 0;
  let ceiling = reference[1]!;
  for (const p of sorted) {
    if (p[1]! < ceiling) {
      volume += (reference[0]! - p[0]!) * (ceiling - p[1]!);
      ceiling = p[1]!;
    }
  }
  return volume;
}

/**
 * Sweeps the third objective upwards, keeping the staircase of the points so far in the first
 * two objectives (x ascending, y descending) and the area it dominates; each slab between two
 * consecutive z levels adds area times thickness.
 */
function volume3d(points: readonly Losses[], reference: Losses): number {
  const sorted = [...points].sort((a, b) => a[2]! - b[2]!);
  const [rx, ry, rz] = reference as [number, number, number];
  const xs: number[] = [];
  const ys: number[] = [];
  let area = 0;
  let volume = 0;
  for (let k = 0; k < sorted.length; k++) {
    const [x, y] = sorted[k] as [number, number, number];
    // First staircase step with xs[i] > x; the step before it (if any) is the one left of x.
    let i = 0;
    while (i < xs.length && xs[i]! <= x) i++;
    const coveredHere = i > 0 && ys[i - 1]! <= y;
    if (!coveredHere) {
      // Remove the steps p dominates in (x, y): those at or right of x with y at or above p's.
      let j = i;
      while (j < xs.length && ys[j]! >= y) j++;
      const removeFrom = i > 0 && xs[i - 1] === x ? i - 1 : i;
      xs.splice(removeFrom, j - removeFrom, x);
      ys.splice(removeFrom, j - removeFrom, y);
      area = staircaseArea(xs, ys, rx, ry);
    }
    const nextZ = k + 1 < sorted.length ? sorted[k + 1]![2]! : rz;
    volume += area * (nextZ - sorted[k]![2]!);
  }
  return volume;
}

function staircaseArea(xs: readonly number[], ys: readonly number[], rx: number, ry: number): number {
  let area = 0;
  for (let i = 0; i < xs.length; i++) {
    const right = i + 1 < xs.length ? xs[i + 1]! : rx;
    area += (right - xs[i]!) * (ry - ys[i]!);
  }
  return area;
}

/**
 * WFG (While, Bradstreet, Barone 2012): the volume is the sum over the points, in order, of each
 * one's volume exclusive of the points after it. Sorting by the last objective keeps the limited
 * sets small.
 */
function volumeWfg(points: readonly Losses[], reference: Losses): number {
  const m = reference.length;
  const sorted = [...points].sort((a, b) => a[m - 1]! - b[m - 1]!);
  let volume = 0;
  for (let k = 0; k < sorted.length; k++) {
    volume += exclusiveVolume(sorted[k]!, sorted.slice(k + 1), reference);
  }
  return volume;
}

/** The non-dominated points of a set, each distinct point once. */
function nondominatedUnique(points: readonly Losses[]): Losses[] {
  const seen = new Set<string>();
  const out: Losses[] = [];
  for (const i of paretoFrontIndices(points)) {
    const key = points[i]!.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(points[i]!);
  }
  return out;
}
