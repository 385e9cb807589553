import { frozenTrialToJSON, type Study } from "@shoal/core";

/** The version tag of the JSON written by `shoal optimize --out`, read back by later tools. */
export const STUDY_JSON_FORMAT = "shoal.study/v1";

/** The study and all its trials as a JSON document. */
export function studyToJson(study: Study): string {
  const best = study.getTrials().length > 0 ? study.storage.getBestTrial(study.studyId) : null;
  return (
    JSON.stringify(
      {
        format: STUDY_JSON_FORMAT,
        studyName: study.studyName,
        direction: study.direction,
        bestTrialNumber: best?.number ?? null,
        trials: study.trials.map(frozenTrialToJSON),
      },
      null,
      1,
    ) + "\n"
  );
}
