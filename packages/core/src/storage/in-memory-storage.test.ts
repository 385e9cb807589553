import { describe, expect, it } from "vitest";
import { TrialState } from "../trial-state.js";
import { InMemoryStorage } from "./in-memory-storage.js";

/** The counts a full scan gives, to check the kept ones against. */
function scanCounts(storage: InMemoryStorage, studyId: number): Record<TrialState, number> {
  const counts = { RUNNING: 0, COMPLETE: 0, PRUNED: 0, FAIL: 0, WAITING: 0 };
  for (const t of storage.getAllTrials(studyId)) counts[t.state] += 1;
  return counts;
}

describe("InMemoryStorage.countTrialsByState", () => {
  it("follows every way a trial is created or changes state", () => {
    const storage = new InMemoryStorage();
    const studyId = storage.createStudy("counts", ["minimize"]);
    const other = storage.createStudy("other", ["minimize"]);
    storage.createTrial(other);
    const check = () => expect(storage.countTrialsByState(studyId)).toEqual(scanCounts(storage, studyId));

    check();
    const running = storage.createTrial(studyId);
    const waiting = storage.createTrial(studyId, { state: TrialState.WAITING });
    storage.createTrial(studyId, { state: TrialState.WAITING });
    check();
    expect(storage.countTrialsByState(studyId)).toMatchObject({ RUNNING: 1, WAITING: 2 });

    expect(storage.popWaitingTrial(studyId)?.trialId).toBe(waiting.trialId);
    check();
    storage.setTrialState(running.trialId, TrialState.COMPLETE, [1]);
    storage.setTrialState(waiting.trialId, TrialState.WAITING);
    check();
    const popped = storage.popWaitingTrial(studyId);
    storage.setTrialState(popped?.trialId ?? -1, TrialState.PRUNED);
    storage.setTrialState(storage.popWaitingTrial(studyId)?.trialId ?? -1, TrialState.FAIL);
    expect(storage.popWaitingTrial(studyId)).toBeNull();
    check();

    // A finished trial cannot move again, and a refused move changes no count.
    expect(() => storage.setTrialState(running.trialId, TrialState.RUNNING)).toThrow(/already finished/);
    check();

    storage.importTrial(studyId, { ...running, number: 3, state: TrialState.COMPLETE });
    storage.importTrial(studyId, { ...running, number: 4, state: TrialState.WAITING, value: null });
    check();
    expect(storage.countTrialsByState(studyId)).toEqual({ RUNNING: 0, COMPLETE: 2, PRUNED: 1, FAIL: 1, WAITING: 1 });
    expect(storage.countTrialsByState(other)).toEqual({ RUNNING: 1, COMPLETE: 0, PRUNED: 0, FAIL: 0, WAITING: 0 });
  });

  it("hands out a copy", () => {
    const storage = new InMemoryStorage();
    const studyId = storage.createStudy("copy", ["minimize"]);
    const counts = storage.countTrialsByState(studyId) as Record<TrialState, number>;
    counts.RUNNING = 5;
    expect(storage.countTrialsByState(studyId).RUNNING).toBe(0);
  });
});
