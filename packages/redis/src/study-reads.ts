import { TrialState, type FrozenTrial } from "@shoal/core";
import type { Redis } from "ioredis";
import { trialJobId, type ShoalKeys } from "./keys.js";
import { frozenTrialFromHash } from "./schemas.js";
import { readStudyHash, type StudyHash } from "./study-hash.js";

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

/** The numbers of the study's RUNNING trials (queued or started), from its running set. */
export async function readRunningTrialNumbers(redis: Redis, keys: ShoalKeys, studyName: string): Promise<number[]> {
  return (await redis.smembers(keys.running(studyName))).map(Number).sort((a, b) => a - b);
}

/** How many RUNNING trials (queued or started) the study has. */
export async function countRunningTrials(redis: Redis, keys: ShoalKeys, studyName: string): Promise<number> {
  return redis.scard(keys.running(studyName));
}

/**
 * The worker BullMQ last handed a trial's job to (its `pb` field), or null while no worker took
 * it. Unlike a running trial's worker in readStudyForWatching, it stays after the worker died.
 */
export async function readTrialJobWorker(redis: Redis, keys: ShoalKeys, queue: string, studyName: string, number: number): Promise<string | null> {
  return redis.hget(keys.job(queue, trialJobId(studyName, number)), "pb");
}

/**
 * Which worker runs each of these trials and since when, from their BullMQ jobs (the worker's
 * name and start time that BullMQ records as it hands a job out). A trial whose job no worker
 * holds a lock on (queued, or taken back from a dead worker) is left out.
 */
async function readTrialStarts(
  redis: Redis,
  keys: ShoalKeys,
  queue: string,
  studyName: string,
  numbers: readonly number[],
): Promise<Map<number, { worker: string; since: Date }>> {
  const out = new Map<number, { worker: string; since: Date }>();
  if (numbers.length === 0) return out;
  const pipeline = redis.pipeline();
  for (const n of numbers) {
    const job = keys.job(queue, trialJobId(studyName, n));
    pipeline.hmget(job, "pb", "processedOn");
    pipeline.exists(keys.jobLock(queue, trialJobId(studyName, n)));
  }
  const replies = (await pipeline.exec()) ?? [];
  numbers.forEach((n, i) => {
    const [worker, processedOn] = (replies[2 * i]?.[1] as Array<string | null> | undefined) ?? [];
    const locked = replies[2 * i + 1]?.[1] === 1;
    if (locked && worker && processedOn) out.set(n, { worker, since: new Date(Number(processedOn)) });
  });
  return out;
}

/**
 * What a watcher (`shoal status`, `shoal trials`, a report) reads of a study: its hash and its
 * trials, the RUNNING ones with the worker that runs them and since when, from their jobs on
 * `queue`. Null when there is no such study.
 */
export async function readStudyForWatching(
  redis: Redis,
  keys: ShoalKeys,
  studyName: string,
  queue: string,
): Promise<{ hash: StudyHash; trials: FrozenTrial[] } | null> {
  const hash = await readStudyHash(redis, keys, studyName);
  if (!hash) return null;
  const trials = await withTrialStarts(redis, keys, queue, studyName, await readTrials(redis, keys, studyName, hash.nextNumber));
  return { hash, trials };
}

/** Trials with the worker and start of the RUNNING ones filled in from their jobs (readTrialStarts). */
async function withTrialStarts(redis: Redis, keys: ShoalKeys, queue: string, studyName: string, trials: FrozenTrial[]): Promise<FrozenTrial[]> {
  const running = trials.filter((t) => t.state === TrialState.RUNNING).map((t) => t.number);
  const starts = await readTrialStarts(redis, keys, queue, studyName, running);
  return trials.map((t) => {
    const start = starts.get(t.number);
    return start ? { ...t, datetimeStart: start.since, systemAttrs: { ...t.systemAttrs, worker: start.worker } } : t;
  });
}
