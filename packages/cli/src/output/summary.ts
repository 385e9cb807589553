import { pyFloat, pyValue, TrialState, type FrozenTrial, type Study } from "@shoal/core";
import { directionsLabel, paretoFrontLines } from "./directions.js";

/**
 * The closing lines of `shoal optimize`: the trial counts and the best trial (a multi-objective
 * study: its Pareto front), for a person.
 */
export function formatSummary(study: Study): string {
  const trials = study.getTrials();
  const count = (state: TrialState) => trials.filter((t) => t.state === state).length;
  const lines = [
    `Study "${study.studyName}" (${directionsLabel(study.directions)}): ${trials.length} trials: ` +
      `${count(TrialState.COMPLETE)} complete, ${count(TrialState.PRUNED)} pruned, ${count(TrialState.FAIL)} failed.`,
  ];
  const front = study.isMultiObjective ? study.bestTrials : [];
  if (front.length > 0) {
    lines.push(...paretoFrontLines(front));
    return lines.join("\n") + "\n";
  }
  const best = study.storage.getBestTrial(study.studyId);
  if (!best) {
    lines.push("No trial completed, so there is no best trial.");
    const reasons = [...new Set(trials.map((t) => t.systemAttrs.failReason).filter(Boolean))].slice(0, 3);
    for (const r of reasons) lines.push(`  failure: ${String(r)}`);
    return lines.join("\n") + "\n";
  }
  lines.push(`Best trial: ${best.number}`, `  Value: ${pyFloat(best.value as number)}`, "  Params:");
  for (const [name, value] of Object.entries(best.params)) {
    lines.push(`    ${name}: ${pyValue(value, best.distributions[name])}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * Why a study has no best trial, for `shoal optimize`'s exit: null when some trial is COMPLETE.
 * Names the most common fail reason (the earliest trial's among equals), since a study where
 * every trial fails usually fails for one reason; pruned-only studies say so.
 */
export function noCompletedTrialDetail(trials: readonly FrozenTrial[]): string | null {
  if (trials.some((t) => t.state === TrialState.COMPLETE)) return null;
  const failed = trials.filter((t) => t.state === TrialState.FAIL);
  const pruned = trials.filter((t) => t.state === TrialState.PRUNED).length;
  const counts = `${trials.length} trial${trials.length === 1 ? "" : "s"}: ${pruned} pruned, ${failed.length} failed`;
  if (failed.length === 0) return trials.length === 0 ? "it has no trials." : `${counts}.`;
  const byReason = new Map<string, number>();
  for (const t of failed) {
    const reason = String(t.systemAttrs.failReason ?? "no reason recorded");
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  // Map keeps insertion order, so among equal counts the earliest trial's reason wins.
  let [top, n] = ["", 0];
  for (const [reason, count] of byReason) if (count > n) [top, n] = [reason, count];
  return `${counts}; the most common failure (${n} of ${failed.length}): ${top}`;
}
