import { isBetter, TrialState, type FrozenTrial, type StudyView } from "@shoal/core";
import { escapeHtml } from "../html/page.js";
import { formatImportance } from "../plots/param-importances.js";

/** The facts at the top of a report. */
export interface StudySummary {
  studyName: string;
  direction: string;
  trialCount: number;
  countsByState: Record<TrialState, number>;
  bestTrial: FrozenTrial | null;
  importances: Readonly<Record<string, number>> | null;
  /** Why there are no importances, when there are none. */
  importanceMessage: string | null;
}

/** Counts, the best trial and the importances of a study. */
export function summarizeStudy(
  study: StudyView,
  importances: Readonly<Record<string, number>> | null,
  importanceMessage: string | null,
): StudySummary {
  const trials = study.getTrials();
  const countsByState = { COMPLETE: 0, PRUNED: 0, FAIL: 0, RUNNING: 0, WAITING: 0 } satisfies Record<TrialState, number>;
  let bestTrial: FrozenTrial | null = null;
  for (const t of trials) {
    countsByState[t.state] += 1;
    if (t.state !== TrialState.COMPLETE || t.value === null) continue;
    if (bestTrial === null || isBetter(study.direction, t.value, bestTrial.value as number)) bestTrial = t;
  }
  return { studyName: study.studyName, direction: study.direction, trialCount: trials.length, countsByState, bestTrial, importances, importanceMessage };
}

/** The summary as an HTML fragment: best trial, trial counts by state, importances. */
export function summaryHtml(summary: StudySummary): string {
  const best = summary.bestTrial;
  const bestHtml =
    best === null
      ? `<p>No completed trial yet, so no best trial.</p>`
      : `<p>Trial ${best.number}, value <strong>${escapeHtml(String(best.value))}</strong></p>
<table class="params"><thead><tr><th>Parameter</th><th>Value</th></tr></thead><tbody>
${Object.entries(best.params)
  .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(JSON.stringify(v))}</td></tr>`)
  .join("\n")}
</tbody></table>`;
  const states = (Object.entries(summary.countsByState) as Array<[TrialState, number]>)
    .map(([state, n]) => `<tr><td>${state}</td><td class="num">${n}</td></tr>`)
    .join("\n");
  const importances =
    summary.importances === null
      ? `<p>${escapeHtml(summary.importanceMessage ?? "No importances.")}</p>`
      : `<table class="importances"><thead><tr><th>Parameter</th><th>Importance</th><th></th></tr></thead><tbody>
${Object.entries(summary.importances)
  .map(
    ([k, v]) =>
      `<tr><td>${escapeHtml(k)}</td><td class="num">${formatImportance(v)}</td><td><span class="bar" style="width:${Math.round(v * 200)}px"></span></td></tr>`,
  )
  .join("\n")}
</tbody></table>`;
  return `<div class="summary">
<section><h2>Best trial</h2>
${bestHtml}
</section>
<section><h2>Trials by state</h2>
<table class="states"><tbody>
${states}
<tr class="total"><td>total</td><td class="num">${summary.trialCount}</td></tr>
</tbody></table>
</section>
<section><h2>Hyperparameter importances</h2>
${importances}
</section>
</div>`;
}
