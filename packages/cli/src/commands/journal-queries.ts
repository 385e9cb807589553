import { createLogger, frozenTrialToJSON, paretoFrontTrials, pyFloat, pyParams, TrialState, type FrozenTrial, type StudyDirection } from "@shoal/core";
import { JournalFileStorage } from "@shoal/journal";
import { UsageError } from "../errors.js";
import { directionsLabel, paretoFrontLines } from "../output/directions.js";

/**
 * The read-only queries on a journal file (`--storage FILE`): the file is read once, without
 * its lock, so a study that is being run can be watched; a torn last line is left out with a
 * warning on standard error.
 */
function openJournal(file: string): JournalFileStorage {
  return JournalFileStorage.open(file, { readOnly: true, logger: createLogger() });
}

/** A study of a journal: `studyName`, or the only one when empty; a usage error when there is no such study. */
export function readJournalStudy(
  file: string,
  studyName: string,
  command: string,
): { studyName: string; directions: readonly StudyDirection[]; trials: FrozenTrial[]; best: FrozenTrial | null } {
  const storage = openJournal(file);
  try {
    const studies = storage.getAllStudies();
    const names = studies.map((s) => `"${s.studyName}"`).join(", ");
    let name = studyName;
    if (name === "") {
      if (studies.length !== 1) {
        throw new UsageError(
          studies.length === 0 ? `the journal file ${file} holds no study yet.` : `the journal file ${file} holds several studies (${names}): give --study NAME.`,
          command,
        );
      }
      name = (studies[0] as (typeof studies)[number]).studyName;
    }
    const study = studies.find((s) => s.studyName === name);
    if (!study) throw new UsageError(`no study named "${name}" in the journal file ${file}${names ? ` (it holds ${names})` : ""}.`, command);
    return { studyName: name, directions: study.directions, trials: [...storage.getAllTrials(study.studyId)], best: storage.getBestTrial(study.studyId) };
  } finally {
    storage.close();
  }
}

/** The studies of a journal, in the shape of `shoal studies`' rows. */
export function listJournalStudies(file: string): Array<{
  name: string;
  direction: string;
  trials: number;
  running: number;
  bestTrial: number | null;
  bestValue: number | null;
  createdAt: string | null;
}> {
  const storage = openJournal(file);
  try {
    return storage.getAllStudies().map((s) => ({
      name: s.studyName,
      direction: directionsLabel(s.directions),
      trials: s.nTrials,
      running: storage.countTrialsByState(s.studyId).RUNNING,
      bestTrial: s.bestTrial?.number ?? null,
      bestValue: s.bestTrial?.value ?? null,
      createdAt: s.datetimeStart?.toISOString() ?? null,
    }));
  } finally {
    storage.close();
  }
}

/** `shoal status --storage FILE`: trials by state, the best trial and the running trials with their processes. */
export function journalStatus(file: string, studyName: string, format: "text" | "json"): number {
  const study = readJournalStudy(file, studyName, "status");
  const count = (state: TrialState) => study.trials.filter((t) => t.state === state).length;
  const counts = Object.fromEntries(Object.values(TrialState).map((s) => [s, count(s)])) as Record<TrialState, number>;
  const best = study.best;
  const running = study.trials
    .filter((t) => t.state === TrialState.RUNNING)
    .map((t) => ({ number: t.number, worker: typeof t.systemAttrs.worker === "string" ? t.systemAttrs.worker : null, since: t.datetimeStart, params: t.params, distributions: t.distributions }));
  if (format === "json") {
    const single = study.directions.length === 1 ? { direction: study.directions[0] } : {};
    const front = study.directions.length > 1 ? { paretoFront: paretoFrontTrials(study.trials, study.directions).map((t) => t.number) } : {};
    const json = { studyName: study.studyName, ...single, directions: study.directions, journal: file, counts, ...front, trials: study.trials.length, best: best ? frozenTrialToJSON(best) : null, running };
    process.stdout.write(JSON.stringify(json, null, 2) + "\n");
    return 0;
  }
  const ago = (d: Date | null) => (d ? `${((Date.now() - d.getTime()) / 1000).toFixed(1)} s` : "");
  const lines = [
    `Study ${study.studyName} (${directionsLabel(study.directions)}), in the journal file ${file}`,
    `Trials: ${study.trials.length} (${counts.COMPLETE} complete, ${counts.PRUNED} pruned, ${counts.FAIL} failed, ${counts.RUNNING} running, ${counts.WAITING} waiting)`,
    ...(study.directions.length > 1
      ? paretoFrontLines(paretoFrontTrials(study.trials, study.directions))
      : [
          best
            ? `Best: trial ${best.number} with value ${pyFloat(best.value as number)} and parameters ${pyParams(best.params, best.distributions)}`
            : "Best: none yet (no completed trial)",
        ]),
    `Running trials (${running.length}):`,
    ...running.map((r) => `  #${r.number}  ${r.worker ?? "(unknown process)"}  ${ago(r.since)}  ${pyParams(r.params, r.distributions)}`),
  ];
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}
