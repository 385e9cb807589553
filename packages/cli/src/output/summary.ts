import { pyFloat, pyValue, TrialState, type Study } from "@shoal/core";

/** The closing lines of `shoal optimize`: the trial counts and the best trial, for a person. */
export function formatSummary(study: Study): string {
  const trials = study.getTrials();
  const count = (state: TrialState) => trials.filter((t) => t.state === state).length;
  const lines = [
    `Study "${study.studyName}" (${study.direction}): ${trials.length} trials: ` +
      `${count(TrialState.COMPLETE)} complete, ${count(TrialState.PRUNED)} pruned, ${count(TrialState.FAIL)} failed.`,
  ];
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
