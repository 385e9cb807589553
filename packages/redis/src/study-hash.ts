import type { StudyDirection } from "@shoal/core";
import type { Redis } from "ioredis";
import { z } from "zod";
import { MalformedPayloadError } from "./errors.js";
import type { ShoalKeys } from "./keys.js";
import { parsePayload } from "./parse-payload.js";

/**
 * The study hash (`<prefix>:study:<name>`), field by field: every read and write of it goes
 * through this module, so its encoding lives in one place (the README's redis-cli table lists it).
 */
const FIELD = {
  direction: "direction",
  createdAt: "createdAt",
  /** Trials created so far: the budget used. */
  nextNumber: "nextNumber",
  bestTrial: "bestTrial",
  bestValue: "bestValue",
  /** The objective module's id (see objectiveIdOf) the coordinator runs the study with. */
  objective: "objective",
  /** "1" once any trial reported an intermediate value: workers' pruners read values only then. */
  reported: "reported",
} as const;

/** Study user attrs are `userAttr:<key>` fields holding JSON. */
const USER_ATTR_PREFIX = "userAttr:";

const optionalNumber = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s === "" ? null : Number(s)));

/** The study hash's fields, parsed (user attrs apart: see parseStudyHash). */
export const studyHashSchema = z.object({
  [FIELD.direction]: z.enum(["minimize", "maximize"]),
  [FIELD.createdAt]: z.string(),
  [FIELD.nextNumber]: z.coerce.number().int().nonnegative().default(0),
  [FIELD.bestTrial]: optionalNumber,
  [FIELD.bestValue]: optionalNumber,
  [FIELD.objective]: z.string().optional(),
  [FIELD.reported]: z
    .string()
    .optional()
    .transform((s) => s !== undefined),
});

/** A study hash as read from Redis. */
export type StudyHash = z.output<typeof studyHashSchema> & { userAttrs: Record<string, unknown> };

/** Parses a study hash's raw fields; MalformedPayloadError names a bad one. */
export function parseStudyHash(what: string, raw: Record<string, string>): StudyHash {
  const parsed = parsePayload(what, studyHashSchema, raw);
  const userAttrs: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (!field.startsWith(USER_ATTR_PREFIX)) continue;
    try {
      userAttrs[field.slice(USER_ATTR_PREFIX.length)] = JSON.parse(value) as unknown;
    } catch {
      throw new MalformedPayloadError(what, `field "${field}": is not JSON`);
    }
  }
  return { ...parsed, userAttrs };
}

/** A study's hash, parsed; null when there is no such study. */
export async function readStudyHash(redis: Redis, keys: ShoalKeys, studyName: string): Promise<StudyHash | null> {
  const raw = await redis.hgetall(keys.study(studyName));
  if (Object.keys(raw).length === 0) return null;
  return parseStudyHash(`study hash ${keys.study(studyName)}`, raw);
}

/** The fields of a study hash as the study is created. */
export function newStudyFields(direction: StudyDirection, createdAt: Date): Record<string, string> {
  return { [FIELD.direction]: direction, [FIELD.createdAt]: createdAt.toISOString(), [FIELD.nextNumber]: "0" };
}

/** The field that holds how many trials the study created. */
export function trialCountFields(count: number): Record<string, string> {
  return { [FIELD.nextNumber]: String(count) };
}

/** The fields that name the study's best trial. */
export function bestTrialFields(best: { number: number; value: number | null }): Record<string, string> {
  return { [FIELD.bestTrial]: String(best.number), [FIELD.bestValue]: String(best.value) };
}

/** The field of one study user attr. */
export function studyUserAttrFields(key: string, value: unknown): Record<string, string> {
  return { [`${USER_ATTR_PREFIX}${key}`]: JSON.stringify(value) };
}

/** Stamps the study with the objective its coordinator runs (workers refuse jobs of another). */
export async function setStudyObjective(redis: Redis, keys: ShoalKeys, studyName: string, objectiveId: string): Promise<void> {
  await redis.hset(keys.study(studyName), FIELD.objective, objectiveId);
}

/** Flags the study as one whose trials report intermediate values, so every worker's pruner reads them. */
export async function markStudyReported(redis: Redis, keys: ShoalKeys, studyName: string): Promise<void> {
  await redis.hset(keys.study(studyName), FIELD.reported, "1");
}
