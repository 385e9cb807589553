import { TrialState } from "@shoal/core";
import { trialJobId, type TrialJob, type TrialJobStart } from "@shoal/redis";
import { UnrecoverableError } from "bullmq";

/** Why a well-formed trial job is not run. */
export type StrayReason =
  | "trial-finished"
  | "trial-waiting"
  | "trial-malformed"
  | "no-trial"
  | "duplicate-job"
  | "no-study"
  | "study-gone";

/**
 * A well-formed job that must not run: its trial is finished (a replayed job), not created, or
 * RUNNING under its own job (a copy), or its study is not in Redis. An UnrecoverableError, so
 * BullMQ fails it once and never retries it; the worker logs it in one line, as any refused job.
 * Its message is the job's failedReason: it says what is wrong without the job's id.
 */
export class StrayJobError extends UnrecoverableError {
  constructor(
    readonly jobId: string,
    readonly studyName: string,
    readonly trialNumber: number,
    readonly reason: StrayReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Why the job of a trial of a study that is in Redis must not run, or null when it may: only a
 * RUNNING trial's own job (`<study>.<number>`, the id the coordinator gives it) runs. Anything else
 * would run the objective for a result the coordinator drops (it records a trial once, and only
 * from the trial's own job).
 */
export function strayJobError(jobId: string, data: TrialJob, start: TrialJobStart): StrayJobError | null {
  const { study, number } = data;
  const stray = (reason: StrayReason, why: string) => new StrayJobError(jobId, study, number, reason, `Stray job: ${why}`);
  switch (start.state) {
    case null: {
      const created = start.trialCount === null ? "" : ` (it has created ${start.trialCount} trial(s)${start.trialCount > 0 ? `, 0 to ${start.trialCount - 1}` : ""})`;
      return stray("no-trial", `study "${study}" has no trial ${number}${created}, so it was not run. Was the job written by hand, or for another study of that name? Remove it.`);
    }
    case TrialState.COMPLETE:
    case TrialState.PRUNED:
    case TrialState.FAIL:
      return stray(
        "trial-finished",
        `trial ${number} of study "${study}" is already ${start.state} (this job replays or copies the trial's job), so it was not run; the recorded result stands. Remove the job.`,
      );
    case TrialState.WAITING:
      return stray(
        "trial-waiting",
        `trial ${number} of study "${study}" is WAITING (its study stopped and took it back; its coordinator enqueues it again, as job ` +
          `${trialJobId(study, number)}, when the study resumes), so this job was not run.`,
      );
    case "malformed":
      return stray("trial-malformed", `trial ${number} of study "${study}" has a state Shoal never writes in its hash, so it was not run.`);
    case TrialState.RUNNING:
      if (jobId === trialJobId(study, number)) return null;
      return stray(
        "duplicate-job",
        `trial ${number} of study "${study}" runs as job ${trialJobId(study, number)}; this job, under another id, copies it and was not run (a trial runs once).`,
      );
  }
}

/** The error of a job whose study has no hash, and no sign that Redis lost it (see QueueWorker.studyMayComeBack). */
export function noStudyError(jobId: string, data: TrialJob, prefix: string): StrayJobError {
  return new StrayJobError(
    jobId,
    data.study,
    data.number,
    "no-study",
    `Stray job: there is no study "${data.study}" in Redis under the prefix "${prefix}" (it was never created, or was deleted), ` +
      `so trial ${data.number} was not run. Check the prefix the job was written under, or remove the job.`,
  );
}

/** The error of a job whose study stayed missing or incomplete for the whole give-up window. */
export function studyGoneError(jobId: string, data: TrialJob, missingMs: number): StrayJobError {
  return new StrayJobError(
    jobId,
    data.study,
    data.number,
    "study-gone",
    `Study "${data.study}" has been missing or incomplete in Redis for ${Math.round(missingMs / 1000)} s: no coordinator restored it ` +
      `(was it deleted, or did Redis lose it with nobody coordinating it?), so trial ${data.number} was not run. Start its coordinator, or remove its jobs.`,
  );
}
