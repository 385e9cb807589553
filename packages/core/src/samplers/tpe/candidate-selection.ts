import type { ParzenEstimator } from "./parzen-estimator.js";
import { freshFloat64, type Float64Allocator } from "./scratch-arena.js";

/**
 * The index of the candidate with the highest log l(x) - log g(x), the first one on a tie: TPE's
 * acquisition (the ratio l/g is monotone in expected improvement).
 */
export function bestCandidate(
  below: ParzenEstimator,
  above: ParzenEstimator,
  candidates: Float64Array,
  count: number,
  alloc: Float64Allocator = freshFloat64,
): number {
  const logL = alloc(count);
  const logG = alloc(count);
  below.logPdf(candidates, count, logL);
  above.logPdf(candidates, count, logG);
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const score = (logL[i] as number) - (logG[i] as number);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}
