import type { Losses } from "./dominance.js";

/**
 * NSGA-II's crowding distance of each point of one front: per objective, the gap between its
 * two neighbours in that objective divided by the front's range, summed. The extremes of each
 * objective get Infinity, so selection keeps them. An objective with no range adds nothing.
 */
export function crowdingDistances(front: readonly Losses[]): number[] {
  const n = front.length;
  const distances = new Array<number>(n).fill(0);
  if (n === 0) return distances;
  if (n <= 2) return distances.fill(Number.POSITIVE_INFINITY);
  const m = front[0]!.length;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < m; k++) {
    order.sort((i, j) => front[i]![k]! - front[j]![k]!);
    const lo = front[order[0]!]![k]!;
    const hi = front[order[n - 1]!]![k]!;
    distances[order[0]!] = Number.POSITIVE_INFINITY;
    distances[order[n - 1]!] = Number.POSITIVE_INFINITY;
    const range = hi - lo;
    if (!(range > 0) || !Number.isFinite(range)) continue;
    for (let r = 1; r < n - 1; r++) {
      const i = order[r]!;
      distances[i]! += (front[order[r + 1]!]![k]! - front[order[r - 1]!]![k]!) / range;
    }
  }
  return distances;
}
