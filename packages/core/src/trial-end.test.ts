import { describe, expect, it } from "vitest";
import { TrialPruned } from "./errors.js";
import { evaluateObjective, judgeTrialEnd, outcomeOfError } from "./trial-end.js";

describe("judgeTrialEnd", () => {
  it("completes a trial with a finite value", () => {
    expect(judgeTrialEnd({ kind: "value", value: 0.5 }, {})).toEqual({
      state: "COMPLETE", values: [0.5], failReason: null, prunedMessage: null, error: null,
    });
  });

  it.each([
    [Number.NaN, "The objective returned nan, which is not a finite number; it must return a finite number"],
    [Number.POSITIVE_INFINITY, "The objective returned inf, which is not a finite number; it must return a finite number"],
    ["0.5", 'The objective returned "0.5", which is not a number; it must return a finite number'],
    [undefined, "The objective returned undefined, which is not a number; it must return a finite number"],
    [null, "The objective returned a object, which is not a number; it must return a finite number"],
  ])("fails a trial whose objective returned %s, saying why", (value, reason) => {
    const end = judgeTrialEnd({ kind: "value", value }, {});
    expect(end).toMatchObject({ state: "FAIL", values: null, failReason: reason });
  });

  it("keeps a pruned trial's last finite intermediate value and its message", () => {
    expect(judgeTrialEnd({ kind: "pruned", message: "too slow" }, { 0: 3, 10: 1, 2: 2 })).toMatchObject({
      state: "PRUNED", values: [1], prunedMessage: "too slow",
    });
    expect(judgeTrialEnd({ kind: "pruned" }, { 0: 3, 5: Number.NaN })).toMatchObject({ state: "PRUNED", values: null, prunedMessage: null });
    expect(judgeTrialEnd({ kind: "pruned", message: "" }, {})).toMatchObject({ state: "PRUNED", values: null, prunedMessage: null });
  });

  it("fails with the error put in words, and keeps the error for the log", () => {
    const error = new RangeError("boom");
    expect(judgeTrialEnd({ kind: "error", error }, {})).toEqual({
      state: "FAIL", values: null, failReason: "RangeError('boom')", prunedMessage: null, error,
    });
    expect(judgeTrialEnd({ kind: "fail", reason: "its worker died" }, {})).toMatchObject({ state: "FAIL", failReason: "its worker died", error: null });
  });
});

describe("judgeTrialEnd on a study of several objectives", () => {
  it("completes a trial with one finite value per objective", () => {
    expect(judgeTrialEnd({ kind: "value", value: [1, -2.5] }, {}, 2)).toMatchObject({ state: "COMPLETE", values: [1, -2.5] });
    // One objective: a one-element array is as good as the number.
    expect(judgeTrialEnd({ kind: "value", value: [4] }, {}, 1)).toMatchObject({ state: "COMPLETE", values: [4] });
  });

  it.each([
    [[1, 2, 3], 2, "The objective returned 3 values on a study of 2 objectives; it must return an array of 2 finite numbers, one per direction"],
    [[1, 2], 1, "The objective returned 2 values on a study of 1 objective; it must return one finite number"],
    [[1, Number.NaN], 2, "The objective returned nan as value 1, which is not a finite number; it must return 2 finite numbers"],
    [[1, "2"], 2, 'The objective returned "2" as value 1, which is not a finite number; it must return 2 finite numbers'],
    [0.5, 2, "The objective returned 0.5 on a study of 2 objectives; it must return an array of 2 finite numbers, one per direction"],
    [undefined, 3, "The objective returned undefined, which is not an array; it must return an array of 3 finite numbers, one per direction"],
  ])("fails %j on a study of %i objectives, naming both lengths or the bad value", (value, n, reason) => {
    expect(judgeTrialEnd({ kind: "value", value }, {}, n)).toMatchObject({ state: "FAIL", values: null, failReason: reason });
  });
});

describe("outcomeOfError and evaluateObjective", () => {
  it("knows TrialPruned by class and by name (rebuilt from another thread)", () => {
    expect(outcomeOfError(new TrialPruned("at step 3"))).toEqual({ kind: "pruned", message: "at step 3" });
    const remote = Object.assign(new Error(""), { name: "TrialPruned" });
    expect(outcomeOfError(remote)).toEqual({ kind: "pruned" });
    const other = new Error("x");
    expect(outcomeOfError(other)).toEqual({ kind: "error", error: other });
  });

  it("awaits sync and async objectives", async () => {
    expect(await evaluateObjective(() => 2)).toEqual({ kind: "value", value: 2 });
    expect(await evaluateObjective(async () => 3)).toEqual({ kind: "value", value: 3 });
    expect(await evaluateObjective(() => { throw new TrialPruned(); })).toEqual({ kind: "pruned" });
  });
});
