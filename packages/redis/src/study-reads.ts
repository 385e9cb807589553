import type { FrozenTrial } from "@shoal/core";
import type { Redis } from "ioredis";
import type { ShoalKeys } from "./keys.js";
import { frozenTrialFromHash, parsePayload, studyHashSchema } from "./schemas.js";

/** A study's hash, parsed; null when there is no such study. */
export async function readStudyHash(redis: Redis, keys: ShoalKeys, studyName: string) {
  const hash = await redis.hgetall(keys.study(studyName));
  if (Object.keys(hash).length === 0) return null;
  return { ...parsePayload(`study hash ${keys.study(studyName)}`, studyHashSchema, hash), raw: hash };
}

/** The names of every study under the prefix, sorted. */
export async function listStudyNames(redis: Redis, keys: ShoalKeys): Promise<string[]> {
  return (await redis.smembers(keys.studies())).sort();
}

/**
 * Trials 0..count-1 of a study, read in one pipeline. A trial whose hash is missing (a crash
 * between numbering and writing) is skipped; a malformed one throws MalformedPayloadError.
 */
export async function readTrials(redis: Redis, keys: ShoalKeys, studyName: string, count: number): Promise<FrozenTrial[]> {
  const pipeline = redis.pipeline();
  for (let n = 0; n < count; n++) {
    pipeline.hgetall(keys.trial(studyName, n));
    pipeline.hgetall(keys.trialValues(studyName, n));
  }
  const replies = (await pipeline.exec()) ?? [];
  const trials: FrozenTrial[] = [];
  for (let n = 0; n < count; n++) {
    const [errA, hash] = replies[2 * n] ?? [null, {}];
    const [errB, values] = replies[2 * n + 1] ?? [null, {}];
    if (errA) throw errA;
    if (errB) throw errB;
    const h = hash as Record<string, string>;
    if (Object.keys(h).length === 0) continue;
    trials.push(frozenTrialFromHash(n, h, values as Record<string, string>, `trial hash ${keys.trial(studyName, n)}`));
  }
  return trials;
}
