import { TrialState } from "@shoal/core";
import type { Redis } from "ioredis";
import type { ShoalKeys } from "./keys.js";
import { STUDY_CREATION_FIELDS, STUDY_TRIAL_COUNT_FIELD } from "./study-hash.js";

/**
 * What a worker reads, and writes, as it takes a trial job: whether the job's study and trial are
 * there and the trial still RUNNING (else the job is stray and not run), and who took the trial's
 * job before it. Two fields of the trial hash are the workers' (the README's redis-cli table lists
 * them; the coordinator never writes them, and a restored trial starts without them):
 */
const FIELD = {
  /** The id of the worker that last took the trial's job. */
  runner: "runner",
  /** The job's stall count (BullMQ's `stc`) when that worker took it. */
  runnerStalls: "runnerStalls",
} as const;

// One round trip, atomic, so that two workers taking the same trial's job one after the other
// (the second after a stall) each see the one before: the take-back is noticed exactly once.
const START = `local study = "absent"
local count = false
if redis.call("EXISTS", KEYS[1]) == 1 then
  study = "partial"
  if redis.call("HEXISTS", KEYS[1], ARGV[1]) == 1 or redis.call("HEXISTS", KEYS[1], ARGV[2]) == 1 then study = "present" end
  count = redis.call("HGET", KEYS[1], ARGV[3])
end
local state = redis.call("HGET", KEYS[2], "state")
if study ~= "present" or state ~= "RUNNING" or ARGV[6] ~= "1" then return {study, count, state} end
local before = redis.call("HMGET", KEYS[2], ARGV[7], ARGV[8])
redis.call("HSET", KEYS[2], ARGV[7], ARGV[4], ARGV[8], ARGV[5])
return {study, count, state, before[1], before[2]}`;

/** A study's hash as a worker finds it: whole, re-created in part after Redis lost it, or not there. */
export type StudyPresence = "present" | "partial" | "absent";

/** What `startTrialJob` found. */
export interface TrialJobStart {
  study: StudyPresence;
  /** The study's trial count (nextNumber), when its hash has one. */
  trialCount: number | null;
  /** The trial's state; null when the study has no hash for that trial; "malformed" for a state Shoal never writes. */
  state: TrialState | "malformed" | null;
  /**
   * The worker that took the trial's job before, when the job stalled since (BullMQ took it back
   * from that worker: it died, or stopped renewing its lock); null otherwise, and when not claimed.
   */
  takenFrom: { worker: string; stalls: number } | null;
}

const STATES = new Set<string>(Object.values(TrialState));

/**
 * Reads the job's study and trial and, when `claim` and the study is there and the trial RUNNING,
 * writes this worker as the trial's runner with the job's stall count: a worker that takes a
 * trial's job after it stalled learns whom it was taken back from.
 */
export async function startTrialJob(
  redis: Redis,
  keys: ShoalKeys,
  job: { study: string; number: number; worker: string; stalls: number; claim: boolean },
): Promise<TrialJobStart> {
  const reply = (await redis.eval(
    START,
    2,
    keys.study(job.study),
    keys.trial(job.study, job.number),
    ...STUDY_CREATION_FIELDS,
    STUDY_TRIAL_COUNT_FIELD,
    job.worker,
    String(job.stalls),
    job.claim ? "1" : "0",
    FIELD.runner,
    FIELD.runnerStalls,
  )) as [StudyPresence, string | null, string | null, (string | null)?, (string | null)?];
  const [study, count, state, runner, runnerStalls] = reply;
  const trialCount = count === null || count === undefined || count === "" ? null : Number(count);
  const before = runner ? { worker: runner, stalls: Number(runnerStalls ?? 0) } : null;
  return {
    study,
    trialCount: Number.isFinite(trialCount) ? trialCount : null,
    state: state === null || state === undefined ? null : STATES.has(state) ? (state as TrialState) : "malformed",
    takenFrom: before !== null && job.stalls > before.stalls ? before : null,
  };
}

/**
 * The worker that last took a trial's job (null when none did, or the hash was restored since):
 * for a trial that BullMQ failed for stalling too often, the worker it was last taken back from.
 */
export async function readTrialRunner(redis: Redis, keys: ShoalKeys, studyName: string, number: number): Promise<string | null> {
  return redis.hget(keys.trial(studyName, number), FIELD.runner);
}
