import {
  categoricalDistribution,
  floatDistribution,
  MedianPruner,
  serializeError,
  type CategoricalChoice,
  type StudyView,
} from "@shoal/core";
import type { TrialJob } from "@shoal/redis";
import { test as base, describe, expect } from "vitest";
import { RemoteTrial } from "./cluster/remote-trial.js";
import { TrialTimeoutError } from "./errors.js";
import { AnswerLog } from "./thread-protocol/answer-log.js";
import { fixture, quietStudy } from "./test-fixtures/harness.js";
import { presampledParamsOf } from "./thread-protocol/presampled-params.js";
import { TrialRunner } from "./trial-runner.js";
import { compileTrialRunnerOptions, type TrialRunnerOptions } from "./trial-runner-options.js";
import { TrialThread } from "./trial-thread.js";

const job: TrialJob = {
  v: 1, study: "s", number: 7, objective: null, seed: 3, direction: "minimize",
  params: { x: 0.5, c: "b" },
  distributions: { x: floatDistribution("x", -10, 10), c: categoricalDistribution("c", ["a", "b"]) },
  fixedParams: {},
};
const emptyView: StudyView = { studyName: "s", direction: "minimize", directions: ["minimize"], getTrials: () => [] };
const plainRemoteTrial = (): RemoteTrial => new RemoteTrial(job, new MedianPruner(), emptyView, () => undefined);

/**
 * A RemoteTrial that notes every call made on it, in order: the thread's own answers replayed
 * and the round trips served look alike here, so tests tell them apart with `callsServed`.
 * The objective runs the scenario of test-fixtures/presampled.mjs named by the user attr.
 */
class NotingTrial extends RemoteTrial {
  readonly calls: unknown[][] = [];

  constructor(scenario: string, trialJob: TrialJob = job) {
    super(trialJob, new MedianPruner(), emptyView, () => undefined);
    super.setUserAttr("scenario", scenario);
  }

  override suggestFloat(...args: Parameters<RemoteTrial["suggestFloat"]>): number {
    this.calls.push(["suggestFloat", ...args]);
    return super.suggestFloat(...args);
  }

  override suggestInt(...args: Parameters<RemoteTrial["suggestInt"]>): number {
    this.calls.push(["suggestInt", ...args]);
    return super.suggestInt(...args);
  }

  override suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    this.calls.push(["suggestCategorical", name, choices]);
    return super.suggestCategorical(name, choices);
  }

  override report(value: number, step: number): void {
    this.calls.push(["report", value, step]);
    super.report(value, step);
  }

  override setUserAttr(key: string, value: unknown): void {
    this.calls.push(["setUserAttr", key, value]);
    super.setUserAttr(key, value);
  }
}

/** Refuses every suggestFloat: its replay throws, which no RemoteTrial does. */
class RefusingTrial extends NotingTrial {
  override suggestFloat(...args: Parameters<RemoteTrial["suggestFloat"]>): number {
    this.calls.push(["suggestFloat", ...args]);
    throw new RangeError("refused");
  }
}

type OpenThread = (options?: Omit<TrialRunnerOptions, "objectiveModule">) => Promise<TrialThread>;

/** `test` with `openThread`: a loaded TrialThread on presampled.mjs, closed when the test ends. */
const test = base.extend<{ openThread: OpenThread }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads fixture dependencies from this pattern.
  openThread: async ({}, use) => {
    const threads: TrialThread[] = [];
    await use(async (options = {}) => {
      const compiled = compileTrialRunnerOptions({ objectiveModule: fixture("presampled.mjs"), ...options });
      const thread = new TrialThread(compiled, () => undefined);
      threads.push(thread);
      await thread.ready;
      return thread;
    });
    await Promise.all(threads.map((thread) => thread.close()));
  },
});

// As TrialRunner.run does it.
const runOn = (thread: TrialThread, trial: RemoteTrial): Promise<unknown> => thread.run(trial, presampledParamsOf(trial));

describe.concurrent("TrialThread with a trial that offers pre-sampled answers", () => {
  test("answers an offered suggestion in the thread: no call, then one replay with the same args", async ({ openThread }) => {
    const thread = await openThread();
    const trial = new NotingTrial("one-float");
    await expect(runOn(thread, trial)).resolves.toBe(0.5);
    expect(thread.callsServed).toBe(0);
    expect(trial.calls).toEqual([["suggestFloat", "x", -10, 10]]);
    expect(trial.params).toEqual({ x: 0.5 });
    expect(trial.distributions).toEqual({ x: floatDistribution("x", -10, 10) });

    // The same thread, another trial: a fixed param is answered too, even out of its range.
    const fixed = new NotingTrial("one-float", { ...job, number: 8, fixedParams: { x: 42 } });
    await expect(runOn(thread, fixed)).resolves.toBe(42);
    expect(thread.callsServed).toBe(0);
    expect(fixed.params).toEqual({ x: 42 });
  });

  test("another distribution for an offered name takes the round trip: the main thread's value or error", async ({ openThread }) => {
    const thread = await openThread();
    const otherRange = new NotingTrial("other-range");
    // Out of [2, 3], the job's 0.5 is resampled, on the main thread.
    await expect(runOn(thread, otherRange)).resolves.toBe(plainRemoteTrial().suggestFloat("x", 2, 3));
    expect(thread.callsServed).toBe(1);
    expect(otherRange.calls).toEqual([["suggestFloat", "x", 2, 3, undefined]]);

    const expected = (() => {
      try {
        plainRemoteTrial().suggestInt("x", -10, 10);
      } catch (error) {
        return serializeError(error);
      }
      throw new Error("suggestInt should refuse a float param");
    })();
    await expect(runOn(thread, new NotingTrial("other-kind"))).resolves.toEqual({
      name: "IncompatibleDistributionError",
      message: expected.message,
    });
    expect(thread.callsServed).toBe(2);
  });

  test("a define-by-run name not in the job takes the round trip, after the offered one is replayed", async ({ openThread }) => {
    const thread = await openThread();
    const trial = new NotingTrial("define-by-run");
    const k = plainRemoteTrial().suggestInt("k", 1, 100);
    await expect(runOn(thread, trial)).resolves.toEqual({ x: 0.5, k });
    expect(thread.callsServed).toBe(1);
    expect(trial.calls).toEqual([
      ["suggestFloat", "x", -10, 10],
      ["suggestInt", "k", 1, 100, undefined],
    ]);
    expect(trial.params).toEqual({ x: 0.5, k });
  });

  test("replays keep the order of the calls, report() in between; a repeat gives the first value", async ({ openThread }) => {
    const thread = await openThread();
    const trial = new NotingTrial("report-between");
    await expect(runOn(thread, trial)).resolves.toEqual({
      x: 0.5,
      c: "b",
      again: 0.5,
      params: { x: 0.5, c: "b" },
      distributions: job.distributions,
    });
    expect(thread.callsServed).toBe(2);
    expect(trial.calls).toEqual([
      ["suggestFloat", "x", -10, 10],
      ["report", 1, 0],
      ["suggestCategorical", "c", ["a", "b"]],
      ["report", 2, 1],
      ["suggestFloat", "x", -10, 10],
    ]);
    expect(trial.intermediateValues).toEqual({ 0: 1, 1: 2 });
  });

  test("more answers than the log holds: one round trip drains it, every call still reaches the trial", async ({ openThread }) => {
    const thread = await openThread();
    const trial = new NotingTrial("many");
    await expect(runOn(thread, trial)).resolves.toEqual([0.5]);
    expect(300).toBeGreaterThan(AnswerLog.CAPACITY);
    expect(thread.callsServed).toBe(1);
    expect(trial.calls).toHaveLength(300);
  });

  test("the objective's error or a timeout after a local answer: the param still reaches the trial", async ({ openThread }) => {
    const thread = await openThread();
    const throwing = new NotingTrial("throws-after");
    await expect(runOn(thread, throwing)).rejects.toMatchObject({ name: "RangeError", message: "after x" });
    expect(throwing.params).toEqual({ x: 0.5 });

    // Stuck in a loop, the thread never sends another message: the main thread reads the log.
    const slow = await openThread({ trialTimeoutSeconds: 1 });
    const hanging = new NotingTrial("hangs-after");
    await expect(runOn(slow, hanging)).rejects.toBeInstanceOf(TrialTimeoutError);
    expect(hanging.calls).toEqual([["suggestFloat", "x", -10, 10]]);
    expect(hanging.params).toEqual({ x: 0.5 });
  });

  test("a replay that throws is the objective's error at that point, before the next call is served", async ({ openThread }) => {
    const thread = await openThread();
    const atNextCall = new RefusingTrial("attr-after");
    await expect(runOn(thread, atNextCall)).resolves.toBe("RangeError: refused");
    expect(atNextCall.calls).toEqual([["suggestFloat", "x", -10, 10]]);
    expect(atNextCall.userAttrs).toEqual({ scenario: "attr-after" });

    const atTheEnd = new RefusingTrial("one-float");
    await expect(runOn(thread, atTheEnd)).rejects.toMatchObject({ name: "RangeError", message: "refused" });
  });

  test("a suggestion made after the trial ended takes the round trip and fails as a late call", async ({ openThread }) => {
    const thread = await openThread();
    const late = new NotingTrial("late");
    await runOn(thread, late);
    const next = new NotingTrial("late-result", { ...job, number: 8 });
    await expect(runOn(thread, next)).resolves.toBe(
      "TrialStateError: trial.suggestFloat() was called after its trial had finished.",
    );
    expect(late.calls).toEqual([]);
    expect(next.calls).toEqual([]);
  });

  test("a local trial offers nothing: every suggestion takes the round trip, as before", async ({ openThread }) => {
    const thread = await openThread();
    const trial = quietStudy().ask();
    trial.setUserAttr("scenario", "report-between");
    expect(presampledParamsOf(trial)).toBeNull();
    await thread.run(trial, presampledParamsOf(trial));
    expect(thread.callsServed).toBe(5);
    expect(Object.keys(trial.params).sort()).toEqual(["c", "x"]);
  });

  test("TrialRunner.run finds the offer on the trial", async () => {
    const runner = new TrialRunner({ objectiveModule: fixture("presampled.mjs") });
    try {
      // Answered in the thread, the suggestion succeeds there; its replay then fails the next call.
      await expect(runner.run(new RefusingTrial("attr-after"))).resolves.toBe("RangeError: refused");
    } finally {
      await runner.close();
    }
  });
});
