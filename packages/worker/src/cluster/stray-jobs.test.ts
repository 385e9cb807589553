import type { TrialJob, TrialJobStart } from "@shoal/redis";
import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { noStudyError, StrayJobError, strayJobError, studyGoneError } from "./stray-jobs.js";

const data: TrialJob = {
  v: 1, study: "s", number: 3, objective: null, params: {}, distributions: {}, fixedParams: {}, seed: 0, direction: "minimize",
};
const start = (state: TrialJobStart["state"], trialCount: number | null = 5): TrialJobStart => ({ study: "present", trialCount, state, takenFrom: null });

describe("strayJobError", () => {
  it("lets only a RUNNING trial's own job run", () => {
    expect(strayJobError("s.3", data, start("RUNNING"))).toBeNull();
    const copy = strayJobError("s.3-copy", data, start("RUNNING"));
    expect(copy?.reason).toBe("duplicate-job");
    expect(copy?.message).toBe('Stray job: trial 3 of study "s" runs as job s.3; this job, under another id, copies it and was not run (a trial runs once).');
  });

  it("refuses the job of a finished trial, naming the state, unrecoverably", () => {
    for (const state of ["COMPLETE", "PRUNED", "FAIL"] as const) {
      const error = strayJobError("replay-1", data, start(state));
      expect(error).toBeInstanceOf(StrayJobError);
      expect(error).toBeInstanceOf(UnrecoverableError);
      expect(error).toMatchObject({ jobId: "replay-1", studyName: "s", trialNumber: 3, reason: "trial-finished" });
      expect(error?.message).toMatch(new RegExp(`^Stray job: trial 3 of study "s" is already ${state} \\(this job replays or copies the trial's job\\), so it was not run`));
    }
  });

  it("refuses the job of a trial the study never created, or one that waits, or a bad state", () => {
    expect(strayJobError("s.3", data, start(null, 2))?.message).toBe(
      'Stray job: study "s" has no trial 3 (it has created 2 trial(s), 0 to 1), so it was not run. Was the job written by hand, or for another study of that name? Remove it.',
    );
    expect(strayJobError("s.3", data, start(null, 0))?.message).toMatch(/has no trial 3 \(it has created 0 trial\(s\)\), so/);
    expect(strayJobError("s.3", data, start("WAITING"))?.reason).toBe("trial-waiting");
    expect(strayJobError("s.3", data, start("malformed"))?.reason).toBe("trial-malformed");
  });

  it("names the study, the trial and the prefix when the study is not in Redis, or gone for good", () => {
    expect(noStudyError("x.0", data, "pfx").message).toBe(
      'Stray job: there is no study "s" in Redis under the prefix "pfx" (it was never created, or was deleted), so trial 3 was not run. ' +
        "Check the prefix the job was written under, or remove the job.",
    );
    const gone = studyGoneError("s.3", data, 61_400);
    expect(gone).toMatchObject({ reason: "study-gone", trialNumber: 3 });
    expect(gone.message).toMatch(/^Study "s" has been missing or incomplete in Redis for 61 s: no coordinator restored it .*so trial 3 was not run\./);
  });
});
