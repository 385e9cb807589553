import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../errors.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { StudyView } from "../study-view.js";
import { TrialState } from "../trial-state.js";
import { MedianPruner } from "./median-pruner.js";
import { percentile } from "./percentile.js";

function trial(number: number, state: TrialState, values: Record<number, number>): FrozenTrial {
  return {
    trialId: number, number, state, value: null, values: null, params: {}, distributions: {}, userAttrs: {}, systemAttrs: {},
    intermediateValues: values, datetimeStart: null, datetimeComplete: null, duration: null,
  };
}

function view(direction: "minimize" | "maximize", trials: FrozenTrial[]): StudyView {
  return { studyName: "s", direction, directions: [direction], getTrials: ({ states } = {}) => (states ? trials.filter((t) => states.includes(t.state)) : trials) };
}

describe("MedianPruner", () => {
  const done = [1, 2, 3, 4, 5].map((v, i) => trial(i, TrialState.COMPLETE, { 0: v, 1: v }));

  it("prunes above the median when minimizing and below it when maximizing", () => {
    const p = new MedianPruner();
    expect(p.prune(view("minimize", done), trial(9, TrialState.RUNNING, { 0: 3.5 }))).toBe(true);
    expect(p.prune(view("minimize", done), trial(9, TrialState.RUNNING, { 0: 2.5 }))).toBe(false);
    expect(p.prune(view("maximize", done), trial(9, TrialState.RUNNING, { 0: 2.5 }))).toBe(true);
    expect(p.prune(view("maximize", done), trial(9, TrialState.RUNNING, { 0: 3.5 }))).toBe(false);
  });

  it("waits for nStartupTrials completed trials and nWarmupSteps", () => {
    expect(new MedianPruner({ nStartupTrials: 6 }).prune(view("minimize", done), trial(9, TrialState.RUNNING, { 0: 100 }))).toBe(false);
    expect(new MedianPruner({ nWarmupSteps: 1 }).prune(view("minimize", done), trial(9, TrialState.RUNNING, { 0: 100 }))).toBe(false);
    expect(new MedianPruner({ nWarmupSteps: 1 }).prune(view("minimize", done), trial(9, TrialState.RUNNING, { 0: 100, 1: 100 }))).toBe(true);
  });

  it("uses the trial's best value over its steps, and prunes an all-NaN trial", () => {
    const p = new MedianPruner();
    expect(p.prune(view("minimize", done), trial(9, TrialState.RUNNING, { 0: 1, 1: 100 }))).toBe(false);
    expect(p.prune(view("minimize", done), trial(9, TrialState.RUNNING, { 0: Number.NaN }))).toBe(true);
  });

  it("does not prune without a report or before nMinTrials reported the step", () => {
    const p = new MedianPruner({ nMinTrials: 6 });
    expect(new MedianPruner().prune(view("minimize", done), trial(9, TrialState.RUNNING, {}))).toBe(false);
    expect(p.prune(view("minimize", done), trial(9, TrialState.RUNNING, { 0: 100 }))).toBe(false);
  });

  it("only checks at interval steps", () => {
    const p = new MedianPruner({ intervalSteps: 2 });
    const many = [1, 2, 3].map((v, i) => trial(i, TrialState.COMPLETE, { 0: v, 1: v, 2: v, 3: v, 4: v }));
    const all = [...many, ...done.slice(0, 2)];
    expect(p.prune(view("minimize", all), trial(9, TrialState.RUNNING, { 0: 0, 1: 100 }))).toBe(false);
  });

  it("rejects bad options with the option's name", () => {
    expect(() => new MedianPruner({ intervalSteps: 0 })).toThrow(InvalidOptionError);
    expect(() => new MedianPruner({ nStartupTrials: -1 })).toThrow(/"nStartupTrials": must be an integer >= 0/);
  });
});

describe("percentile", () => {
  it("interpolates like numpy", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 25)).toBe(1.75);
    expect(percentile([], 50)).toBeNaN();
  });
});
