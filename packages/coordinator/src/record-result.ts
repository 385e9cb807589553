import { judgeTrialEnd, TrialState, type FrozenTrial, type Study, type TrialEnd } from "@shoal/core";
import { trialEndOf, type TrialResult } from "@shoal/redis";

/**
 * Records a worker's result for a RUNNING trial: the params it really used (define-by-run ones
 * included), its intermediate values, user attrs, worker and times, then the end the worker
 * judged, with the Optuna-style log line. Returns null when the trial was already recorded
 * (idempotent).
 */
export function recordResult(study: Study, result: TrialResult): FrozenTrial | null {
  const running = study.storage.getTrialByNumber(study.studyId, result.number);
  if (running?.state !== TrialState.RUNNING) return null;
  const trial = study.runningTrial(result.number);
  const storage = study.storage;
  let end: TrialEnd;
  try {
    // The proposal stood in for the params while the trial ran; now the worker's params replace it.
    for (const name of Object.keys(running.params)) {
      if (!Object.hasOwn(result.params, name)) storage.deleteTrialParam(trial.trialId, name);
    }
    for (const [name, value] of Object.entries(result.params)) {
      const distribution = result.distributions[name];
      if (distribution) storage.setTrialParam(trial.trialId, name, value, distribution);
    }
    end = trialEndOf(result);
  } catch (error) {
    end = judgeTrialEnd({ kind: "error", error }, {});
  }
  for (const [step, value] of Object.entries(result.intermediateValues)) {
    if (!Object.hasOwn(running.intermediateValues, step)) storage.setTrialIntermediateValue(trial.trialId, Number(step), value);
  }
  for (const [key, value] of Object.entries(result.userAttrs)) storage.setTrialUserAttr(trial.trialId, key, value);
  storage.setTrialSystemAttr(trial.trialId, "worker", result.worker);
  return study.recordEnd(trial, end, { start: new Date(result.datetimeStart), complete: new Date(result.datetimeComplete) });
}

/** The FAIL reason of a trial whose job failed outright, from BullMQ's failedReason. */
export function jobFailureReason(failedReason: string): string {
  if (/stalled more than allowable limit/.test(failedReason)) {
    return `its worker died or stopped renewing its lock more often than the workers' --max-stalled allows (${failedReason})`;
  }
  return `The job failed: ${failedReason}`;
}

/** Records a trial whose job failed outright (stalled too often, refused, malformed). */
export function recordJobFailure(study: Study, number: number, reason: string): FrozenTrial | null {
  if (study.storage.getTrialByNumber(study.studyId, number)?.state !== TrialState.RUNNING) return null;
  return study.record(study.runningTrial(number), { kind: "fail", reason });
}
