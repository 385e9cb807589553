import { z } from "zod";
import { distributionSchema, paramValueSchema } from "./distribution-schema.js";
import { StudyJsonError } from "./errors.js";
import { frozenTrialToJSON, singleValue, type FrozenTrial, type StudyDirection } from "./frozen-trial.js";
import type { StudyView } from "./study-view.js";
import { TrialState } from "./trial-state.js";

/**
 * trials.json (`shoal optimize --out DIR`): a study and all its trials as one JSON document.
 * Its writer, its reader and its schema live here only; reading and writing the file is the
 * caller's (core has no I/O).
 */
export const STUDY_JSON_FORMAT = "shoal.study/v1";

/**
 * The document of a study, as `shoal optimize --out` writes it to trials.json. `direction` is
 * written for a single-objective study only (as before `directions` existed); `directions` always.
 */
export function studyToJson(study: StudyView, bestTrialNumber: number | null): string {
  return (
    JSON.stringify(
      {
        format: STUDY_JSON_FORMAT,
        studyName: study.studyName,
        ...(study.directions.length === 1 ? { direction: study.directions[0] } : {}),
        directions: study.directions,
        bestTrialNumber,
        trials: study.getTrials().map(frozenTrialToJSON),
      },
      null,
      1,
    ) + "\n"
  );
}

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: "must be an ISO date" })
  .nullable();

const trialJson = z.object({
  number: z.number().int().nonnegative(),
  state: z.enum(TrialState),
  // JSON has no NaN or Infinity: JSON.stringify writes them as null.
  value: z.number().nullable(),
  // Files written before multi-objective studies have no values: [value] then.
  values: z.array(z.number()).nullable().optional(),
  params: z.record(z.string(), paramValueSchema),
  distributions: z.record(z.string(), distributionSchema),
  userAttrs: z.record(z.string(), z.unknown()).default({}),
  systemAttrs: z.record(z.string(), z.unknown()).default({}),
  intermediateValues: z.record(z.string(), z.number().nullable()).default({}),
  datetimeStart: isoDate,
  datetimeComplete: isoDate,
  duration: z.number().nullable(),
});

const directionSchema = z.enum(["minimize", "maximize"]);
const studyJson = z
  .object({
    format: z.literal(STUDY_JSON_FORMAT),
    studyName: z.string(),
    direction: directionSchema.optional(),
    directions: z.array(directionSchema).min(1).optional(),
    bestTrialNumber: z.number().nullable(),
    trials: z.array(trialJson),
  })
  .refine((d) => d.direction !== undefined || d.directions !== undefined, { message: "needs direction or directions", path: ["directions"] });

/** A study read back from trials.json: trials in number order, dates as Dates. */
export interface StudyJson {
  studyName: string;
  directions: StudyDirection[];
  bestTrialNumber: number | null;
  trials: FrozenTrial[];
}

/** Validates a parsed trials.json document; `source` names it in the StudyJsonError of the first bad field. */
export function parseStudyJson(raw: unknown, source = "the study JSON"): StudyJson {
  const parsed = studyJson.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw new StudyJsonError(
      `${source} is not a ${STUDY_JSON_FORMAT} study (as written by \`shoal optimize --out DIR\`): ${issue?.message ?? "invalid"}${where}.`,
    );
  }
  const { studyName, direction, directions, bestTrialNumber, trials } = parsed.data;
  return {
    studyName,
    directions: directions ?? [direction!],
    bestTrialNumber,
    trials: trials.map(toFrozenTrial).sort((a, b) => a.number - b.number),
  };
}

function toFrozenTrial(t: z.output<typeof trialJson>): FrozenTrial {
  const intermediateValues: Record<number, number> = {};
  for (const [step, value] of Object.entries(t.intermediateValues)) {
    if (value !== null) intermediateValues[Number(step)] = value;
  }
  const values = t.values !== undefined ? t.values : t.value === null ? null : [t.value];
  return {
    trialId: t.number,
    number: t.number,
    state: t.state,
    value: singleValue(values),
    values,
    params: t.params,
    distributions: t.distributions,
    userAttrs: t.userAttrs,
    systemAttrs: t.systemAttrs,
    intermediateValues,
    datetimeStart: t.datetimeStart === null ? null : new Date(t.datetimeStart),
    datetimeComplete: t.datetimeComplete === null ? null : new Date(t.datetimeComplete),
    duration: t.duration,
  };
}
