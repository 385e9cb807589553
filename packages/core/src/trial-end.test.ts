import { describe, expect, it } from "vitest";
import { TrialPruned } from "./errors.js";
import { evaluateObjective, judgeTrialEnd, outcomeOfError } from "./trial-end.js";

describe("judgeTrialEnd", () => {
  it("completes a trial with a finite value", () => {
    expect(judgeTrialEnd({ kind: "value", value: 0.5 }, {})).toEqual({
      state: "COMPLETE", value: 0.5, failReason: null, prunedMessage: null, error: null,
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
    expect(end).toMatchObject({ state: "FAIL", value: null, failReason: reason });
  });

  it("keeps a pruned trial's last finite intermediate value and its message", () => {
    expect(judgeTrialEnd({ kind: "pruned", message: "too slow" }, { 0: 3, 10: 1, 2: 2 })).toMatchObject({
      state: "PRUNED", value: 1, prunedMessage: "too slow",
    });
    expect(judgeTrialEnd({ kind: "pruned" }, { 0: 3, 5: Number.NaN })).toMatchObject({ state: "PRUNED", value: null, prunedMessage: null });
    expect(judgeTrialEnd({ kind: "pruned", message: "" }, {})).toMatchObject({ state: "PRUNED", value: null, prunedMessage: null });
  });

  it("fails with the error put in words, and keeps the error for the log", () => {
    const error = new RangeError("boom");
    expect(judgeTrialEnd({ kind: "error", error }, {})).toEqual({
      state: "FAIL", value: null, failReason: "RangeError('boom')", prunedMessage: null, error,
    });
    expect(judgeTrialEnd({ kind: "fail", reason: "its worker died" }, {})).toMatchObject({ state: "FAIL", failReason: "its worker died", error: null });
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
