import { floatDistribution, intDistribution, MedianPruner, SearchSpaceError, IncompatibleDistributionError, TrialState, type FrozenTrial, type StudyView } from "@shoal/core";
import type { TrialJob } from "@shoal/redis";
import { describe, expect, it } from "vitest";
import { RemoteTrial } from "./remote-trial.js";

const job: TrialJob = {
  v: 1, study: "s", number: 4, objective: null, seed: 11, direction: "minimize",
  params: { x: 0.5, unused: "a" }, distributions: { x: floatDistribution("x", 0, 1), unused: { kind: "categorical", choices: ["a", "b"] } },
  fixedParams: {},
};

const emptyView: StudyView = { studyName: "s", direction: "minimize", directions: ["minimize"], getTrials: () => [] };

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

  it("offers ahead the fixed params and the job's params in their job distribution, as suggest answers them", () => {
    const withFixed: TrialJob = {
      ...job,
      params: { x: 0.5, unused: "c", k: 7, fixed: 99 },
      distributions: { ...job.distributions, k: intDistribution("k", 0, 10), fixed: floatDistribution("fixed", 0, 1) },
      // A fixed value stands even out of its range; one with no job distribution is not offered.
      fixedParams: { fixed: 99, loose: 3 },
    };
    const t = new RemoteTrial(withFixed, new MedianPruner(), emptyView, () => undefined);
    const offer = t.presampledParams();
    expect(offer).toEqual({
      params: { x: 0.5, k: 7, fixed: 99 },
      distributions: { x: withFixed.distributions.x, k: withFixed.distributions.k, fixed: withFixed.distributions.fixed },
    });
    expect(t.suggestFloat("x", 0, 1)).toBe(offer.params.x);
    expect(t.suggestInt("k", 0, 10)).toBe(offer.params.k);
    expect(t.suggestFloat("fixed", 0, 1)).toBe(offer.params.fixed);
    // Once suggested, a name is no longer offered: its first value stands, whatever the job says.
    expect(t.presampledParams()).toEqual({ params: {}, distributions: {} });
  });

  it("asks the pruner with the study's completed trials", () => {
    const done = [1, 2, 3, 4, 5].map(
      (v, i): FrozenTrial => ({
        trialId: i, number: i, state: TrialState.COMPLETE, value: v, values: [v], params: {}, distributions: {}, userAttrs: {}, systemAttrs: {},
        intermediateValues: { 0: v }, datetimeStart: null, datetimeComplete: null, duration: null,
      }),
    );
    const view: StudyView = { studyName: "s", direction: "minimize", directions: ["minimize"], getTrials: () => done };
    const t = new RemoteTrial(job, new MedianPruner(), view, () => undefined);
    t.report(10, 0);
    expect(t.shouldPrune()).toBe(true);
    const u = new RemoteTrial(job, new MedianPruner(), view, () => undefined);
    u.report(1, 0);
    expect(u.shouldPrune()).toBe(false);
  });
});
