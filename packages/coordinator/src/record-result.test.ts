import { createLogger, createStudy, floatDistribution, RandomSampler, TrialState } from "@shoal/core";
import type { TrialResult } from "@shoal/redis";
import { describe, expect, it } from "vitest";
import { compileCoordinatorOptions } from "./coordinator-options.js";
import { jobFailureReason, recordJobFailure, recordResult } from "./record-result.js";
import { proposeTrial, storedProposal, trialJobData } from "./trial-job.js";

function study() {
  const { logger } = { logger: createLogger({ level: "silent" }) };
  return createStudy({ studyName: "s", sampler: new RandomSampler({ seed: 3 }), logger });
}

function result(number: number, patch: Partial<TrialResult> = {}): TrialResult {
  return {
    v: 1, study: "s", number, state: "COMPLETE", value: 1.5,
    params: { x: 0.25 }, distributions: { x: floatDistribution("x", 0, 1) },
    userAttrs: { note: "hi" }, intermediateValues: { "0": 3, "1": 2 }, failReason: null, worker: "w1",
    datetimeStart: "2026-11-27T00:00:00.000Z", datetimeComplete: "2026-11-27T00:00:02.500Z", ...patch,
  };
}

describe("proposeTrial", () => {
  it("pre-samples every parameter the study knows, and enqueued params win", () => {
    const s = study();
    const first = proposeTrial(s);
    expect(first.proposal.params).toEqual({});
    recordResult(s, result(first.number));
    s.enqueueTrial({ x: 0.75 });
    const second = proposeTrial(s);
    expect(second.proposal.params).toEqual({ x: 0.75 });
    expect(second.proposal.fixedParams).toEqual({ x: 0.75 });
    const third = proposeTrial(s);
    expect(Object.keys(third.proposal.params)).toEqual(["x"]);
    // A lost job is enqueued again with the same proposal, rebuilt from the running trial.
    expect(storedProposal(s, second.number)).toEqual(second.proposal);
    expect(storedProposal(s, third.number)).toEqual(third.proposal);
    const job = trialJobData(s, third.number, third.proposal, "obj@1", 9);
    expect(job).toMatchObject({ v: 1, study: "s", number: 2, objective: "obj@1", seed: 9, direction: "minimize" });
  });
});

describe("recordResult", () => {
  it("records the worker's params, values, attrs, worker and times once", () => {
    const s = study();
    const { number } = proposeTrial(s);
    const t = recordResult(s, result(number));
    expect(t).not.toBeNull();
    expect(t!.state).toBe(TrialState.COMPLETE);
    expect(t!.value).toBe(1.5);
    expect(t!.params).toEqual({ x: 0.25 });
    expect(t!.intermediateValues).toEqual({ 0: 3, 1: 2 });
    expect(t!.userAttrs).toEqual({ note: "hi" });
    expect(t!.systemAttrs.worker).toBe("w1");
    expect(t!.duration).toBe(2500);
    expect(recordResult(s, result(number, { value: 9 }))).toBeNull();
    expect(s.trials[0]!.value).toBe(1.5);
  });

  it("records PRUNED with the last value, and FAIL with the worker's reason", () => {
    const s = study();
    const a = proposeTrial(s).number;
    const b = proposeTrial(s).number;
    const c = proposeTrial(s).number;
    expect(recordResult(s, result(a, { state: "PRUNED", value: 2 }))!.value).toBe(2);
    const failed = recordResult(s, result(b, { state: "FAIL", value: null, failReason: "TrialTimeoutError('Trial 1 timed out after 1 s')" }));
    expect(failed!.state).toBe(TrialState.FAIL);
    expect(failed!.systemAttrs.failReason).toBe("TrialTimeoutError('Trial 1 timed out after 1 s')");
    expect(recordJobFailure(s, c, "The job failed: job stalled more than allowable limit")!.systemAttrs.failReason).toMatch(/stalled/);
    expect(recordJobFailure(s, c, "again")).toBeNull();
    expect(jobFailureReason("job stalled more than allowable limit")).toBe(
      "its worker died or stopped renewing its lock more often than the workers' --max-stalled allows (job stalled more than allowable limit)",
    );
    expect(jobFailureReason("Malformed trial job x in Redis: field \"number\": bad")).toBe('The job failed: Malformed trial job x in Redis: field "number": bad');
  });

  it("fails a trial whose worker used a parameter with another kind of distribution", () => {
    const s = study();
    recordResult(s, result(proposeTrial(s).number));
    const n = proposeTrial(s).number;
    const t = recordResult(s, result(n, { params: { x: 3 }, distributions: { x: { kind: "int", low: 0, high: 5, step: 1, log: false } } }));
    expect(t!.state).toBe(TrialState.FAIL);
    expect(t!.systemAttrs.failReason).toMatch(/IncompatibleDistributionError/);
  });
});

describe("compileCoordinatorOptions", () => {
  it("fills defaults and names bad options", () => {
    const o = compileCoordinatorOptions({ redisUrl: "redis://x", studyName: "iris", trialBudget: 10 });
    expect(o).toMatchObject({ prefix: "shoal", queue: "trials", leaseTtlMs: 10_000, timeoutMs: null, seed: 0 });
    expect(() => compileCoordinatorOptions({ redisUrl: "redis://x", studyName: "a:b", trialBudget: 1 })).toThrow(/"studyName": must start with a letter or digit/);
    expect(() => compileCoordinatorOptions({ redisUrl: "redis://x", studyName: "a", trialBudget: -1 })).toThrow(/"trialBudget": must be an integer >= 0/);
  });
});
