import { randomBytes } from "node:crypto";
import type { StudyDirection } from "@shoal/core";
import type { ChainableCommander, Redis } from "ioredis";
import { z } from "zod";
import { MalformedPayloadError, PartialStudyError } from "./errors.js";
import type { ShoalKeys } from "./keys.js";
import { parsePayload } from "./parse-payload.js";

/**
 * The study hash (`<prefix>:study:<name>`), field by field: every read and write of it goes
 * through this module, so its encoding lives in one place (the README's redis-cli table lists it).
 */
const FIELD = {
  /** The study's direction, or its directions comma-separated (`minimize,maximize`) with several objectives. */
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
  /**
   * A random id written as the study is created (or, for a study older than the field, as it is
   * first loaded): its coordinator reads it back with every batch of writes, and a hash without it
   * means Redis lost the study (see RedisStorage.restoreStudy).
   */
  epoch: "epoch",
} as const;

/**
 * The fields written as the study is created and never again: a hash with neither was re-created
 * by later writes after Redis lost the study (see readStudyHash). For scripts that read the hash.
 */
export const STUDY_CREATION_FIELDS = [FIELD.direction, FIELD.createdAt] as const;

/** The field that counts the study's trials, for scripts that read the hash. */
export const STUDY_TRIAL_COUNT_FIELD = FIELD.nextNumber;

/** Study user attrs are `userAttr:<key>` fields holding JSON. */
const USER_ATTR_PREFIX = "userAttr:";

const optionalNumber = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s === "" ? null : Number(s)));

const directionsField = z
  .string()
  .transform((s) => s.split(","))
  .pipe(z.array(z.enum(["minimize", "maximize"])).min(1));

/** The study hash's fields, parsed (user attrs apart: see parseStudyHash). */
export const studyHashSchema = z.object({
  [FIELD.direction]: directionsField,
  [FIELD.createdAt]: z.string(),
  [FIELD.nextNumber]: z.coerce.number().int().nonnegative().default(0),
  [FIELD.bestTrial]: optionalNumber,
  [FIELD.bestValue]: optionalNumber,
  [FIELD.objective]: z.string().optional(),
  [FIELD.reported]: z
    .string()
    .optional()
    .transform((s) => s !== undefined),
  [FIELD.epoch]: z.string().optional(),
});

/** A study hash as read from Redis: `directions` one per objective. */
export type StudyHash = Omit<z.output<typeof studyHashSchema>, typeof FIELD.direction> & {
  directions: StudyDirection[];
  userAttrs: Record<string, unknown>;
};

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
  const { [FIELD.direction]: directions, ...rest } = parsed;
  return { ...rest, directions, userAttrs };
}

/**
 * A study's hash, parsed; null when there is no such study. PartialStudyError when the hash lacks
 * both `direction` and `createdAt`: those are written together as the study is created and never
 * again, so such a hash was re-created by later writes after Redis lost the study.
 */
export async function readStudyHash(redis: Redis, keys: ShoalKeys, studyName: string): Promise<StudyHash | null> {
  const raw = await redis.hgetall(keys.study(studyName));
  if (Object.keys(raw).length === 0) return null;
  if (!Object.hasOwn(raw, FIELD.direction) && !Object.hasOwn(raw, FIELD.createdAt)) {
    throw new PartialStudyError(studyName, keys.study(studyName), Object.keys(raw));
  }
  return parseStudyHash(`study hash ${keys.study(studyName)}`, raw);
}

/** A new random study epoch (see FIELD.epoch). */
export function newStudyEpoch(): string {
  return randomBytes(8).toString("hex");
}

/** The fields of a study hash as the study is created. */
export function newStudyFields(directions: readonly StudyDirection[], createdAt: Date, epoch: string): Record<string, string> {
  return { [FIELD.direction]: directions.join(","), [FIELD.createdAt]: createdAt.toISOString(), [FIELD.nextNumber]: "0", [FIELD.epoch]: epoch };
}

/** Everything a study hash holds, as its coordinator knows it: what restoring a lost study writes back. */
export interface StudyHashContent {
  directions: readonly StudyDirection[];
  createdAt: string;
  nextNumber: number;
  best: { number: number; value: number | null } | null;
  objective: string | null;
  reported: boolean;
  epoch: string;
  userAttrs: Readonly<Record<string, unknown>>;
}

/** The fields of a whole study hash (readStudyHash reads exactly this back). */
export function studyHashFields(s: StudyHashContent): Record<string, string> {
  const fields: Record<string, string> = {
    [FIELD.direction]: s.directions.join(","),
    [FIELD.createdAt]: s.createdAt,
    ...trialCountFields(s.nextNumber),
    [FIELD.epoch]: s.epoch,
  };
  if (s.best) Object.assign(fields, bestTrialFields(s.best));
  if (s.objective !== null) fields[FIELD.objective] = s.objective;
  if (s.reported) fields[FIELD.reported] = "1";
  for (const [key, value] of Object.entries(s.userAttrs)) Object.assign(fields, studyUserAttrFields(key, value));
  return fields;
}

/**
 * Gives a study without an epoch (created before the field existed) `epoch`, unless it has one,
 * and returns the study's epoch. Null when the study hash does not exist.
 */
export async function ensureStudyEpoch(redis: Redis, keys: ShoalKeys, studyName: string, epoch: string): Promise<string | null> {
  const key = keys.study(studyName);
  // Only an existing hash gets one: HSETNX on a missing key would create a partial hash.
  const replies = await redis.eval(
    `if redis.call("EXISTS", KEYS[1]) == 0 then return false end
redis.call("HSETNX", KEYS[1], ARGV[1], ARGV[2])
return redis.call("HGET", KEYS[1], ARGV[1])`,
    1,
    key,
    FIELD.epoch,
    epoch,
  );
  return typeof replies === "string" ? replies : null;
}

/** Queues a read of the study's epoch on `commands` (its reply: the epoch, or null when the study hash has none). */
export function queueStudyEpochRead(commands: ChainableCommander, keys: ShoalKeys, studyName: string): void {
  commands.hget(keys.study(studyName), FIELD.epoch);
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
