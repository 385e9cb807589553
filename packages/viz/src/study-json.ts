import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { TrialState, type FrozenTrial } from "@shoal/core";
import { z } from "zod";
import { StudyJsonError } from "./errors.js";
import { StudySnapshot } from "./study-snapshot.js";

/** The format tag `shoal optimize --out` writes in trials.json. */
export const STUDY_JSON_FORMAT = "shoal.study/v1";

const paramValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

const distribution = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("float"), low: z.number(), high: z.number(), step: z.number().nullable(), log: z.boolean() }),
  z.object({ kind: z.literal("int"), low: z.number(), high: z.number(), step: z.number(), log: z.boolean() }),
  z.object({ kind: z.literal("categorical"), choices: z.array(paramValue) }),
]);

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: "must be an ISO date" })
  .nullable();

const trialJson = z.object({
  number: z.number().int().nonnegative(),
  state: z.enum(Object.values(TrialState) as [TrialState, ...TrialState[]]),
  // JSON has no NaN or Infinity: JSON.stringify writes them as null.
  value: z.number().nullable(),
  params: z.record(z.string(), paramValue),
  distributions: z.record(z.string(), distribution),
  userAttrs: z.record(z.string(), z.unknown()).default({}),
  systemAttrs: z.record(z.string(), z.unknown()).default({}),
  intermediateValues: z.record(z.string(), z.number().nullable()).default({}),
  datetimeStart: isoDate,
  datetimeComplete: isoDate,
  duration: z.number().nullable(),
});

const studyJson = z.object({
  format: z.literal(STUDY_JSON_FORMAT),
  studyName: z.string(),
  direction: z.enum(["minimize", "maximize"]),
  bestTrialNumber: z.number().nullable(),
  trials: z.array(trialJson),
});

/**
 * Reads a study written by `shoal optimize --out DIR`: `file` is DIR/trials.json or DIR itself.
 * Validated at this boundary (StudyJsonError names the first bad field); dates come back as Dates.
 */
export async function readStudyJson(file: string): Promise<StudySnapshot> {
  const resolved = await resolveStudyFile(file);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(resolved, "utf8"));
  } catch (error) {
    throw new StudyJsonError(`Cannot read the study at ${resolved}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return parseStudyJson(raw, resolved);
}

/** Validates a parsed study document; `source` names it in errors. */
export function parseStudyJson(raw: unknown, source = "the study JSON"): StudySnapshot {
  const parsed = studyJson.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw new StudyJsonError(
      `${source} is not a ${STUDY_JSON_FORMAT} study (as written by \`shoal optimize --out DIR\`): ${issue?.message ?? "invalid"}${where}.`,
    );
  }
  const { studyName, direction, trials } = parsed.data;
  return new StudySnapshot(studyName, direction, trials.map(toFrozenTrial).sort((a, b) => a.number - b.number));
}

function toFrozenTrial(t: z.output<typeof trialJson>): FrozenTrial {
  const intermediateValues: Record<number, number> = {};
  for (const [step, value] of Object.entries(t.intermediateValues)) {
    if (value !== null) intermediateValues[Number(step)] = value;
  }
  return {
    trialId: t.number,
    number: t.number,
    state: t.state,
    value: t.value,
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

async function resolveStudyFile(file: string): Promise<string> {
  const info = await stat(file).catch(() => null);
  if (info === null) {
    throw new StudyJsonError(`No study at ${file}: write one with \`shoal optimize <objective> --trials N --out DIR\`, then pass DIR.`);
  }
  if (!info.isDirectory()) return file;
  const inside = path.join(file, "trials.json");
  if (!(await stat(inside).catch(() => null))) {
    throw new StudyJsonError(`No trials.json in ${file}: write one with \`shoal optimize <objective> --trials N --out ${file}\`.`);
  }
  return inside;
}
