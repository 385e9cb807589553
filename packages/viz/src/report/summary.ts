import { isBetter, isFeasible, paretoFrontTrials, TrialState, type FrozenTrial, type StudyDirection, type StudyView } from "@shoal/core";
import { escapeHtml } from "../html/page.js";
import { formatImportance } from "../plots/param-importances.js";

/** One objective's importances in the summary. */
export interface ObjectiveImportances {
  /** The objective's name ("Objective Value" on a single-objective study). */
  objective: string;
  importances: Readonly<Record<string, number>> | null;
  /** Why there are no importances, when there are none. */
  message: string | null;
}

/** The facts at the top of a report. */
export interface StudySummary {
  studyName: string;
  /** The study's direction; on a multi-objective study its directions, comma-separated. */
  direction: string;
  /** One per objective. */
  directions: readonly StudyDirection[];
  /** One per objective: "Objective 0", ... unless the report was given names. */
  objectiveNames: readonly string[];
  trialCount: number;
  countsByState: Record<TrialState, number>;
  /**
   * The best feasible COMPLETE trial of a single-objective study (as `study.bestTrial`: a trial
   * whose `constraints` break is never best); always null on a multi-objective one (see `paretoFront`).
   */
  bestTrial: FrozenTrial | null;
  /** A multi-objective study's Pareto front (its `bestTrials`: COMPLETE, feasible, non-dominated) in number order; null on a single-objective one. */
  paretoFront: FrozenTrial[] | null;
  /** A single-objective study's importances; null on a multi-objective one (see `importancesByObjective`). */
  importances: Readonly<Record<string, number>> | null;
  /** Why there are no importances, when there are none. */
  importanceMessage: string | null;
  /** Each objective's importances (one entry on a single-objective study, the same as `importances`). */
  importancesByObjective: ObjectiveImportances[];
}

/** At most this many Pareto-front trials are listed in the HTML (NSGA-II fronts can hold hundreds). */
const MAX_FRONT_ROWS = 100;

/** Counts, the best trial (or the Pareto front) and the importances of a study. */
export function summarizeStudy(study: StudyView, importances: readonly ObjectiveImportances[], objectiveNames: readonly string[]): StudySummary {
  const trials = study.getTrials();
  const countsByState = { COMPLETE: 0, PRUNED: 0, FAIL: 0, RUNNING: 0, WAITING: 0 } satisfies Record<TrialState, number>;
  for (const t of trials) countsByState[t.state] += 1;
  const directions = study.directions;
  const single = directions.length === 1;
  let bestTrial: FrozenTrial | null = null;
  if (single) {
    const direction = study.direction;
    for (const t of trials) {
      if (t.state !== TrialState.COMPLETE || t.value === null || !isFeasible(t)) continue;
      if (bestTrial === null || isBetter(direction, t.value, bestTrial.value as number)) bestTrial = t;
    }
  }
  const first = importances[0];
  return {
    studyName: study.studyName,
    direction: directions.join(", "),
    directions,
    objectiveNames,
    trialCount: trials.length,
    countsByState,
    bestTrial,
    paretoFront: single ? null : paretoFrontTrials(trials, directions),
    importances: single ? (first?.importances ?? null) : null,
    importanceMessage: single ? (first?.message ?? null) : null,
    importancesByObjective: [...importances],
  };
}

/** The summary as an HTML fragment: best trial or Pareto front, trial counts by state, importances. */
export function summaryHtml(summary: StudySummary): string {
  const states = (Object.entries(summary.countsByState) as Array<[TrialState, number]>)
    .map(([state, n]) => `<tr><td>${state}</td><td class="num">${n}</td></tr>`)
    .join("\n");
  const best =
    summary.paretoFront === null
      ? `<section><h2>Best trial</h2>\n${bestTrialHtml(summary.bestTrial, summary.countsByState.COMPLETE > 0)}\n</section>`
      : paretoFrontHtml(summary);
  const importances =
    summary.paretoFront === null
      ? importancesHtml(summary.importances, summary.importanceMessage)
      : summary.importancesByObjective.map((o) => `<h3>${escapeHtml(o.objective)}</h3>\n${importancesHtml(o.importances, o.message)}`).join("\n");
  return `<div class="summary">
${best}
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

function bestTrialHtml(best: FrozenTrial | null, anyComplete: boolean): string {
  if (best === null) return anyComplete ? `<p>No feasible completed trial yet, so no best trial.</p>` : `<p>No completed trial yet, so no best trial.</p>`;
  return `<p>Trial ${best.number}, value <strong>${escapeHtml(String(best.value))}</strong></p>
<table class="params"><thead><tr><th>Parameter</th><th>Value</th></tr></thead><tbody>
${Object.entries(best.params)
  .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(JSON.stringify(v))}</td></tr>`)
  .join("\n")}
</tbody></table>`;
}

/**
 * The Pareto-front trials as a table: number, one column per objective, one per parameter. Sorted
 * by the first objective, best first, so the rows walk along the front.
 */
function paretoFrontHtml(summary: StudySummary): string {
  const front = [...(summary.paretoFront ?? [])];
  if (front.length === 0) {
    return `<section><h2>Pareto front</h2>\n<p>No feasible completed trial yet, so no Pareto front.</p>\n</section>`;
  }
  const direction = summary.directions[0];
  front.sort((a, b) => {
    const d = (a.values as readonly number[])[0]! - (b.values as readonly number[])[0]!;
    return (direction === "maximize" ? -d : d) || a.number - b.number;
  });
  const shown = front.slice(0, MAX_FRONT_ROWS);
  const params = [...new Set(shown.flatMap((t) => Object.keys(t.params)))].sort();
  const head = [
    "<th>Trial</th>",
    ...summary.objectiveNames.map((name, i) => `<th>${escapeHtml(name)} (${summary.directions[i]})</th>`),
    ...params.map((p) => `<th>${escapeHtml(p)}</th>`),
  ].join("");
  const rows = shown
    .map((t) => {
      const values = (t.values as readonly number[]).map((v) => `<td class="num">${escapeHtml(String(v))}</td>`);
      const cells = params.map((p) => `<td>${p in t.params ? escapeHtml(JSON.stringify(t.params[p])) : ""}</td>`);
      return `<tr><td class="num">${t.number}</td>${values.join("")}${cells.join("")}</tr>`;
    })
    .join("\n");
  const count = `<p>${front.length} ${front.length === 1 ? "trial" : "trials"} on the front (COMPLETE, feasible, not dominated)${front.length > shown.length ? `; the first ${shown.length} by ${escapeHtml(summary.objectiveNames[0] ?? "objective 0")} shown` : ""}.</p>`;
  return `<section><h2>Pareto front</h2>
${count}
<table class="front"><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table>
</section>`;
}

function importancesHtml(importances: Readonly<Record<string, number>> | null, message: string | null): string {
  if (importances === null) return `<p>${escapeHtml(message ?? "No importances.")}</p>`;
  return `<table class="importances"><thead><tr><th>Parameter</th><th>Importance</th><th></th></tr></thead><tbody>
${Object.entries(importances)
  .map(
    ([k, v]) =>
      `<tr><td>${escapeHtml(k)}</td><td class="num">${formatImportance(v)}</td><td><span class="bar" style="width:${Math.round(v * 200)}px"></span></td></tr>`,
  )
  .join("\n")}
</tbody></table>`;
}
