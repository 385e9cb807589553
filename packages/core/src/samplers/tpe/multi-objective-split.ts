/**
 * MOTPE's two rules on loss vectors (every objective minimised), as Optuna 4 has them: which
 * COMPLETE trials are "below" (whole non-domination ranks, best first, the last rank that does
 * not fit cut by greedy hypervolume subset selection), and the weights of the below trials in
 * their Parzen estimator (each one's hypervolume contribution, relative to the largest).
 */
import type { StudyDirection } from "../../frozen-trial.js";
import { trialViolation } from "../../constraints.js";
import { constraintViolation, nonDominatedRanks, paretoFrontIndices, toLosses, type Losses } from "../../multi-objective/dominance.js";
import { hypervolume, hypervolumeContributions, selectHypervolumeSubset } from "../../multi-objective/hypervolume.js";
import { Role, type NumberSplit, type ObservationIndex } from "./split.js";

/** The smallest weight a below trial gets, so none drops out of its estimator. */
const EPS = 1e-12;

/**
 * A reference point just beyond the worst of `losses` in each objective (10% of its magnitude,
 * or EPS where that is 0), so that every point has a positive box.
 */
export function nadirReference(losses: readonly Losses[]): number[] {
  const m = losses[0]!.length;
  return Array.from({ length: m }, (_, k) => {
    const worst = Math.max(...losses.map((p) => p[k]!));
    const r = Math.max(1.1 * worst, 0.9 * worst);
    return r === 0 ? EPS : r;
  });
}

/**
 * The indices (ascending) of the `nBelow` best of `losses`: whole non-domination ranks while
 * they fit, then the points of the next rank that add the most hypervolume.
 */
export function splitByDominance(losses: readonly Losses[], nBelow: number): number[] {
  const n = losses.length;
  const want = Math.min(Math.max(nBelow, 0), n);
  if (want === 0) return [];
  if (want === n) return losses.map((_, i) => i);
  const ranks = nonDominatedRanks(losses, { stopAfter: want });
  const byRank = new Map<number, number[]>();
  ranks.forEach((r, i) => {
    if (Number.isFinite(r)) byRank.set(r, [...(byRank.get(r) ?? []), i]);
  });
  const below: number[] = [];
  for (let r = 0; below.length < want; r++) {
    const rank = byRank.get(r)!;
    if (below.length + rank.length <= want) {
      below.push(...rank);
      continue;
    }
    const points = rank.map((i) => losses[i]!);
    for (const j of selectHypervolumeSubset(points, want - below.length, nadirReference(points))) below.push(rank[j]!);
  }
  return below.sort((a, b) => a - b);
}

/**
 * The weights of the below trials: feasible ones by hypervolume contribution to their own front
 * (dominated ones get EPS), divided by the largest; infeasible ones EPS. With at most one
 * feasible trial, every feasible one weighs 1.
 */
export function belowWeightsByHypervolume(losses: readonly Losses[], feasible?: readonly boolean[]): number[] {
  const ok = feasible ?? losses.map(() => true);
  const weights: number[] = ok.map((f) => (f ? 1 : EPS));
  const indices = losses.flatMap((_, i) => (ok[i] ? [i] : []));
  if (indices.length <= 1) return weights;
  const points = indices.map((i) => losses[i]!);
  const reference = nadirReference(points);
  const front = new Set(paretoFrontIndices(points));
  const contributions = hypervolumeContributions(points, reference).map((c, j) => (front.has(j) ? c : 0));
  if (!Number.isFinite(hypervolume(points, reference))) return weights;
  const max = Math.max(...contributions);
  indices.forEach((i, j) => (weights[i] = Math.max(contributions[j]! / Math.max(max, EPS), EPS)));
  return weights;
}

/** A multi-objective split: the two sides as trial numbers, and the below trials' weights (aligned with `below`). */
export interface WeightedSplit extends NumberSplit {
  readonly belowWeights: Float64Array;
}

/**
 * MOTPE's split of a step's observations: of the COMPLETE trials, the feasible ones (constraints
 * all <= 0, or none recorded and not `constrained`) by `splitByDominance`, then, if too few, the infeasible ones by
 * their total violation; everything else (PRUNED trials, the rest) above. Below weights from
 * `belowWeightsByHypervolume`.
 */
export function splitMultiObjective(index: ObservationIndex, directions: readonly StudyDirection[], nBelow: number, constrained = false): WeightedSplit {
  const feasible: number[] = [];
  const infeasible: Array<{ number: number; violation: number }> = [];
  const others: number[] = [];
  for (let i = 0; i < index.count; i++) {
    const role = index.roles[i];
    if (role === Role.NONE || role === Role.RUNNING) continue;
    if (role !== Role.COMPLETE) {
      others.push(i);
      continue;
    }
    // With a constraints function a trial without constraint values is infeasible, as Optuna; without
    // one, constraints recorded some other way still count.
    const trial = index.trialAt(i);
    const violation = constrained ? trialViolation(trial) : Array.isArray(trial.systemAttrs.constraints) ? constraintViolation(trial.systemAttrs.constraints as number[]) : 0;
    if (violation > 0) infeasible.push({ number: i, violation });
    else feasible.push(i);
  }
  const losses = feasible.map((i) => toLosses(index.trialAt(i).values!, directions));
  const chosen = splitByDominance(losses, nBelow).map((j) => feasible[j]!);
  infeasible.sort((a, b) => a.violation - b.violation || a.number - b.number);
  for (const { number } of infeasible) {
    if (chosen.length >= nBelow) break;
    chosen.push(number);
  }
  const below = Int32Array.from(chosen).sort();
  const inBelow = new Set(below);
  const above = Int32Array.from([...feasible, ...infeasible.map((x) => x.number), ...others].filter((i) => !inBelow.has(i))).sort();
  const lossesOf = new Map(feasible.map((i, j) => [i, losses[j]!] as const));
  const belowLosses = Array.from(below, (i) => lossesOf.get(i) ?? toLosses(index.trialAt(i).values!, directions));
  const ok = Array.from(below, (i) => lossesOf.has(i));
  const belowWeights = Float64Array.from(belowLosses.length > 0 ? belowWeightsByHypervolume(belowLosses, ok) : []);
  return { below, above, belowWeights };
}
