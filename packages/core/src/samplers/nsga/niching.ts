/**
 * NSGA-III's survival of the last front (Deb and Jain 2014): objectives normalised by the ideal
 * point and the intercepts of the hyperplane through the extreme points, each individual
 * associated with its nearest reference line, then the last front's members picked one at a
 * time for the reference point with the fewest members so far.
 */
import type { Losses } from "../../multi-objective/dominance.js";
import { solveLinear } from "../../numerics/linear-algebra.js";
import type { Rng } from "../../rng.js";

/**
 * Normalised losses: the ideal point subtracted, then each objective divided by its intercept.
 * Extreme points minimise the achievement scalarising function with weight 1 on their axis and
 * 1e6 elsewhere; where they are degenerate (no unique hyperplane, or a non-positive intercept),
 * each objective's largest translated value is its intercept instead. Infinite losses are first
 * replaced by the finite range's end plus three times its width.
 */
export function normalizeLosses(losses: readonly Losses[]): number[][] {
  const n = losses.length;
  const m = losses[0]?.length ?? 0;
  const finite = capInfinities(losses);
  const ideal = Array.from({ length: m }, (_, k) => Math.min(...finite.map((p) => p[k]!)));
  const moved = finite.map((p) => p.map((x, k) => x - ideal[k]!));
  const extremes = Array.from({ length: m }, (_, axis) => {
    let best = 0;
    let bestAsf = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      let asf = 0;
      for (let k = 0; k < m; k++) asf = Math.max(asf, moved[i]![k]! * (k === axis ? 1 : 1e6));
      if (asf < bestAsf) [best, bestAsf] = [i, asf];
    }
    return moved[best]!;
  });
  const inverse = solveLinear(extremes, new Array<number>(m).fill(1));
  const scale =
    inverse && inverse.every((x) => Number.isFinite(x) && x > 0)
      ? inverse
      : Array.from({ length: m }, (_, k) => {
          const max = Math.max(...moved.map((p) => p[k]!));
          return max > 0 ? 1 / max : 1;
        });
  return moved.map((p) => p.map((x, k) => x * scale[k]!));
}

function capInfinities(losses: readonly Losses[]): number[][] {
  const m = losses[0]?.length ?? 0;
  const caps = Array.from({ length: m }, (_, k) => {
    const xs = losses.map((p) => p[k]!).filter(Number.isFinite);
    const lo = xs.length ? Math.min(...xs) : 0;
    const hi = xs.length ? Math.max(...xs) : 0;
    return [lo - 3 * (hi - lo), hi + 3 * (hi - lo)] as const;
  });
  return losses.map((p) => p.map((x, k) => (x === Number.POSITIVE_INFINITY ? caps[k]![1] : x === Number.NEGATIVE_INFINITY ? caps[k]![0] : x)));
}

/** For each point: the nearest reference line through the origin and the perpendicular distance to it. */
export function associateWithReferences(points: readonly Losses[], references: readonly Losses[]): { reference: number[]; distance: number[] } {
  const reference: number[] = [];
  const distance: number[] = [];
  const norms = references.map((r) => r.reduce((s, x) => s + x * x, 0));
  for (const p of points) {
    const pp = p.reduce((s, x) => s + x * x, 0);
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    references.forEach((r, j) => {
      const pr = r.reduce((s, x, k) => s + x * p[k]!, 0);
      const d2 = norms[j]! > 0 ? pp - (pr * pr) / norms[j]! : pp;
      if (d2 < bestD) [best, bestD] = [j, d2];
    });
    reference.push(best);
    distance.push(Math.sqrt(Math.max(0, bestD)));
  }
  return { reference, distance };
}

/**
 * Picks `count` members of the last front: `losses` holds the already-chosen elite first
 * (`eliteCount` of them), then the last front. Returns indices into the last front (0-based
 * within it). A reference point with no elite member yet takes its nearest front member; one with
 * some takes a random one; ties between reference points are broken at random.
 */
export function selectByNiche(count: number, eliteCount: number, losses: readonly Losses[], references: readonly Losses[], rng: Rng): number[] {
  const frontSize = losses.length - eliteCount;
  if (count > frontSize) throw new RangeError(`selectByNiche: ${count} wanted from a front of ${frontSize}`);
  const { reference, distance } = associateWithReferences(normalizeLosses(losses), references);
  const nicheCount = new Array<number>(references.length).fill(0);
  for (let i = 0; i < eliteCount; i++) nicheCount[reference[i]!]! += 1;
  const members = new Map<number, number[]>();
  for (let i = 0; i < frontSize; i++) {
    const r = reference[eliteCount + i]!;
    members.set(r, [...(members.get(r) ?? []), i]);
  }
  const chosen: number[] = [];
  while (chosen.length < count) {
    const open = [...members.keys()];
    const least = Math.min(...open.map((r) => nicheCount[r]!));
    const tied = open.filter((r) => nicheCount[r] === least);
    const r = tied[rng.int(tied.length)]!;
    const candidates = members.get(r)!;
    let pick: number;
    if (nicheCount[r] === 0) {
      pick = candidates.reduce((a, b) => (distance[eliteCount + b]! < distance[eliteCount + a]! ? b : a));
    } else {
      pick = candidates[rng.int(candidates.length)]!;
    }
    chosen.push(pick);
    nicheCount[r]! += 1;
    const rest = candidates.filter((i) => i !== pick);
    if (rest.length > 0) members.set(r, rest);
    else members.delete(r);
  }
  return chosen;
}
