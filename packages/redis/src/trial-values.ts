import { TrialState } from "@shoal/core";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { ShoalKeys } from "./keys.js";
import { parsePayload } from "./parse-payload.js";

/**
 * A trial's intermediate values (`<prefix>:study:<name>:trial:<n>:values`, step -> value): how
 * they are written by the storage and by the worker running the trial, and read back.
 */

/** The hash fields of one intermediate value. */
export function intermediateValueFields(step: number, value: number): Record<string, string> {
  return { [String(step)]: String(value) };
}

/** The intermediate values of a values hash as read from Redis. */
export function decodeIntermediateValues(hash: Record<string, string>): Record<number, number> {
  const values: Record<number, number> = {};
  for (const [step, v] of Object.entries(hash)) values[Number(step)] = Number(v);
  return values;
}

/** Writes one intermediate value of a running trial (the worker's write while the trial runs). */
export async function writeIntermediateValue(
  redis: Redis,
  keys: ShoalKeys,
  studyName: string,
  number: number,
  step: number,
  value: number,
): Promise<void> {
  await redis.hset(keys.trialValues(studyName, number), intermediateValueFields(step, value));
}

// Lenient on purpose: another trial's bad hash must not fail the trial whose pruner reads it.
const progressSchema = z.object({
  state: z.enum(TrialState).nullable().catch(null),
  value: z
    .string()
    .nullable()
    .transform((s) => (s === null || s === "" ? null : Number(s))),
});

/** Where one trial stands, as a worker's pruner reads it. `state` null: no such trial hash (yet). */
export interface TrialProgress {
  number: number;
  state: TrialState | null;
  value: number | null;
  intermediateValues: Record<number, number>;
}

/**
 * The state, value and intermediate values of these trials of a study, in one pipeline: what a
 * pruner needs of the study's other trials, without their params or attrs.
 */
export async function readTrialProgress(
  redis: Redis,
  keys: ShoalKeys,
  studyName: string,
  numbers: readonly number[],
): Promise<TrialProgress[]> {
  if (numbers.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const n of numbers) {
    pipeline.hmget(keys.trial(studyName, n), "state", "value");
    pipeline.hgetall(keys.trialValues(studyName, n));
  }
  const replies = (await pipeline.exec()) ?? [];
  return numbers.map((number, i) => {
    const [errA, fields] = replies[2 * i] ?? [null, [null, null]];
    const [errB, values] = replies[2 * i + 1] ?? [null, {}];
    if (errA) throw errA;
    if (errB) throw errB;
    const [state, value] = fields as Array<string | null>;
    const parsed = parsePayload(`trial hash ${keys.trial(studyName, number)}`, progressSchema, { state: state ?? null, value: value ?? null });
    return { number, ...parsed, intermediateValues: decodeIntermediateValues(values as Record<string, string>) };
  });
}
