import { TrialState, type FrozenTrial } from "@shoal/core";
import { describe, expect, it } from "vitest";
import { noCompletedTrialDetail } from "./summary.js";

const trial = (number: number, state: TrialState, failReason?: string): FrozenTrial =>
  ({ number, state, systemAttrs: failReason === undefined ? {} : { failReason } }) as unknown as FrozenTrial;

describe("noCompletedTrialDetail", () => {
  it("is null once any trial is COMPLETE, whatever failed", () => {
    expect(noCompletedTrialDetail([trial(0, TrialState.FAIL, "x"), trial(1, TrialState.COMPLETE)])).toBeNull();
  });

  it("names the most common fail reason, the earliest one among equals", () => {
    const trials = [
      trial(0, TrialState.FAIL, "RangeError('a')"),
      trial(1, TrialState.FAIL, "OOM"),
      trial(2, TrialState.PRUNED),
      trial(3, TrialState.FAIL, "OOM"),
      trial(4, TrialState.FAIL, "RangeError('a')"),
      trial(5, TrialState.FAIL, "OOM"),
    ];
    expect(noCompletedTrialDetail(trials)).toBe("6 trials: 1 pruned, 5 failed; the most common failure (3 of 5): OOM");
    expect(noCompletedTrialDetail(trials.slice(0, 2))).toBe("2 trials: 0 pruned, 2 failed; the most common failure (1 of 2): RangeError('a')");
  });

  it("says so when every trial was pruned, or there is none", () => {
    expect(noCompletedTrialDetail([trial(0, TrialState.PRUNED)])).toBe("1 trial: 1 pruned, 0 failed.");
    expect(noCompletedTrialDetail([])).toBe("it has no trials.");
  });
});
