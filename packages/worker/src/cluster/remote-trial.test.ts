import { floatDistribution, MedianPruner, SearchSpaceError, IncompatibleDistributionError, TrialState, type FrozenTrial, type StudyView } from "@shoal/core";
import type { TrialJob } from "@shoal/redis";
import { describe, expect, it } from "vitest";
import { RemoteTrial } from "./remote-trial.js";

const job: TrialJob = {
  v: 1, study: "s", number: 4, objective: null, seed: 11, direction: "minimize",
  params: { x: 0.5, unused: "a" }, distributions: { x: floatDistribution("x", 0, 1), unused: { kind: "categorical", choices: ["a", "b"] } },
  fixedParams: {},
};

const emptyView: StudyView = { studyName: "s", direction: "minimize", getTrials: () => [] };

describe("RemoteTrial", () => {
  it("uses the job's params, samples the others seeded, and records only what was asked", () => {
    const reports: Array<[number, number]> = [];
    const t = new RemoteTrial(job, new MedianPruner(), emptyView, (s, v) => reports.push([s, v]));
    expect(t.suggestFloat("x", 0, 1)).toBe(0.5);
    const k = t.suggestInt("k", 1, 100);
    expect(Number.isInteger(k) && k >= 1 && k <= 100).toBe(true);
    expect(new RemoteTrial(job, new MedianPruner(), emptyView, () => undefined).suggestInt("k", 1, 100)).toBe(k);
    expect(t.suggestInt("k", 1, 100)).toBe(k);
    expect(t.params).toEqual({ x: 0.5, k });
    t.report(1.5, 0);
    expect(reports).toEqual([[0, 1.5]]);
  });

  it("resamples a job value outside a changed range, and refuses another kind", () => {
    const t = new RemoteTrial(job, new MedianPruner(), emptyView, () => undefined);
    const x = t.suggestFloat("x", 2, 3);
    expect(x).toBeGreaterThanOrEqual(2);
    expect(() => t.suggestCategorical("unused", ["a", "c"])).toThrow(IncompatibleDistributionError);
    expect(() => t.suggestFloat("bad", 1, 0)).toThrow(SearchSpaceError);
  });

  it("asks the pruner with the study's completed trials", () => {
    const done = [1, 2, 3, 4, 5].map(
      (v, i): FrozenTrial => ({
        trialId: i, number: i, state: TrialState.COMPLETE, value: v, params: {}, distributions: {}, userAttrs: {}, systemAttrs: {},
        intermediateValues: { 0: v }, datetimeStart: null, datetimeComplete: null, duration: null,
      }),
    );
    const view: StudyView = { studyName: "s", direction: "minimize", getTrials: () => done };
    const t = new RemoteTrial(job, new MedianPruner(), view, () => undefined);
    t.report(10, 0);
    expect(t.shouldPrune()).toBe(true);
    const u = new RemoteTrial(job, new MedianPruner(), view, () => undefined);
    u.report(1, 0);
    expect(u.shouldPrune()).toBe(false);
  });
});
