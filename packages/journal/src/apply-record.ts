import { TrialState, type FrozenTrial, type InMemoryStorage } from "@shoal/core";
import type { JournalRecord } from "./journal-format.js";

/**
 * Replays one journal record on the in-memory copy: the same Storage call that made it, with the
 * times it recorded, so every process that reads the journal holds the same trials. Throws (the
 * storage's own errors) when the record does not fit the ones before it.
 */
export function applyRecord(mirror: InMemoryStorage, r: JournalRecord): void {
  switch (r.op) {
    case "createStudy":
      mirror.createStudy(r.study, r.directions ?? [r.direction!]);
      return;
    case "setStudyUserAttr":
      mirror.setStudyUserAttr(mirror.getStudyIdFromName(r.study), r.key, r.value);
      return;
    case "createTrial":
      mirror.importTrial(mirror.getStudyIdFromName(r.study), {
        number: r.number,
        state: r.state,
        value: null,
        values: null,
        params: {},
        distributions: {},
        userAttrs: r.userAttrs,
        systemAttrs: r.systemAttrs,
        intermediateValues: {},
        datetimeStart: r.start === null ? null : new Date(r.start),
        datetimeComplete: null,
        duration: null,
      });
      return;
    case "popWaitingTrial": {
      const t = trialOf(mirror, r.study, r.number);
      if (t.state !== TrialState.WAITING) throw new Error(`trial ${r.number} of study "${r.study}" is ${t.state}, not WAITING, so it cannot be popped`);
      // WAITING -> RUNNING with the recorded start: what popWaitingTrial did, at the time it did it.
      mirror.setTrialState(t.trialId, TrialState.RUNNING, null, { start: new Date(r.start) });
      mirror.setTrialSystemAttr(t.trialId, "worker", r.worker);
      return;
    }
    case "setTrialParam":
      mirror.setTrialParam(trialOf(mirror, r.study, r.number).trialId, r.name, r.value, r.distribution);
      return;
    case "deleteTrialParam":
      mirror.deleteTrialParam(trialOf(mirror, r.study, r.number).trialId, r.name);
      return;
    case "setTrialState": {
      const start = r.start === null ? null : new Date(r.start);
      const times = r.complete === null ? { start } : { start, complete: new Date(r.complete) };
      const values = r.values !== undefined ? r.values : r.value === null ? null : [r.value];
      mirror.setTrialState(trialOf(mirror, r.study, r.number).trialId, r.state, values, times);
      return;
    }
    case "setTrialIntermediateValue":
      mirror.setTrialIntermediateValue(trialOf(mirror, r.study, r.number).trialId, r.step, r.value);
      return;
    case "setTrialUserAttr":
      mirror.setTrialUserAttr(trialOf(mirror, r.study, r.number).trialId, r.key, r.value);
      return;
    case "setTrialSystemAttr":
      mirror.setTrialSystemAttr(trialOf(mirror, r.study, r.number).trialId, r.key, r.value);
      return;
  }
}

function trialOf(mirror: InMemoryStorage, study: string, number: number): FrozenTrial {
  const t = mirror.getTrialByNumber(mirror.getStudyIdFromName(study), number);
  if (!t) throw new Error(`study "${study}" has no trial ${number} yet`);
  return t;
}
