import { MedianPruner, TrialState, type FrozenTrial } from "@shoal/core";
import { describe, expect, test } from "vitest";
import { ObjectiveLoadError } from "./errors.js";
import { optimizeLocally, type LocalExecutorOptions } from "./local-executor.js";
import { fixture, quietStudy } from "./test-fixtures/harness.js";

type Options = Omit<LocalExecutorOptions, "objectiveModule">;

async function optimizeFixture(objective: string, options: Options, study = quietStudy()) {
  await optimizeLocally(study, { objectiveModule: fixture(objective), ...options });
  return study;
}

const states = (trials: readonly FrozenTrial[]) => trials.map((t) => t.state);
const failReason = (trial: FrozenTrial | undefined) => trial?.systemAttrs.failReason;

describe.concurrent("optimizeLocally", () => {
  test("optimizes a study of a .mjs objective", async () => {
    const study = await optimizeFixture("quadratic.mjs", { nTrials: 10 });
    expect(states(study.trials)).toEqual(Array(10).fill(TrialState.COMPLETE));
    const best = Math.min(...study.trials.map((t) => t.value as number));
    expect(study.bestValue).toBe(best);
    expect(study.bestValue).toBeCloseTo(((study.bestParams.x as number) - 2) ** 2, 12);
  });

  test("an objective that throws fails each trial with its error and the study goes on", async () => {
    const study = await optimizeFixture("throws.mjs", { nTrials: 2 });
    expect(states(study.trials)).toEqual([TrialState.FAIL, TrialState.FAIL]);
    expect(failReason(study.trials[0])).toBe("RangeError('boom')");
  });

  test("NaN fails the trial, as the Study decides", async () => {
    const study = await optimizeFixture("returns-nan.mjs", { nTrials: 1 });
    expect(states(study.trials)).toEqual([TrialState.FAIL]);
    expect(failReason(study.trials[0])).toMatch(/^The objective returned nan, which is not a finite number/);
  });

  test("a trial that never returns fails after trialTimeoutSeconds; the next trials still run", async () => {
    const study = await optimizeFixture("hangs-first.mjs", { nTrials: 3, trialTimeoutSeconds: 1 });
    expect(states(study.trials)).toEqual([TrialState.FAIL, TrialState.COMPLETE, TrialState.COMPLETE]);
    expect(failReason(study.trials[0])).toBe("TrialTimeoutError('The trial ran past its time limit of 1 s (--trial-timeout) and its thread was stopped')");
  });

  test("a thread that runs out of memory fails its trial; the next trials still run", async () => {
    const study = await optimizeFixture("exhausts-memory-first.mjs", {
      nTrials: 2,
      resourceLimits: { maxOldGenerationSizeMb: 32 },
    });
    expect(states(study.trials)).toEqual([TrialState.FAIL, TrialState.COMPLETE]);
    expect(failReason(study.trials[0])).toBe(
      "ThreadCrashedError('The trial thread ran out of memory (heap limit 32 MB; raise it with --trial-memory MB, or the trialMemoryMb option)')",
    );
  });

  test("process.exit(3) in the objective fails its trial; the next trials still run", async () => {
    const study = await optimizeFixture("exits-first.mjs", { nTrials: 2 });
    expect(states(study.trials)).toEqual([TrialState.FAIL, TrialState.COMPLETE]);
    expect(failReason(study.trials[0])).toBe("ThreadCrashedError('The trial thread exited with code 3: the objective (or a module it uses) called process.exit(); return a value or throw instead')");
  });

  test("a bad search space in the thread fails the trial with SearchSpaceError naming the param", async () => {
    const study = await optimizeFixture("bad-search-space.mjs", { nTrials: 1 });
    expect(failReason(study.trials[0])).toBe(
      `SearchSpaceError('Invalid search space for parameter "learningRate": low (1) must be less than or equal to high (0.1).')`,
    );
  });

  test("define-by-run: each trial has only the params its branch asked for", async () => {
    const study = await optimizeFixture("conditional.mjs", { nTrials: 12 });
    const paramSets = new Set(study.trials.map((t) => Object.keys(t.params).sort().join(",")));
    expect(paramSets).toEqual(new Set(["classifier,svcC", "classifier,maxDepth"]));
    for (const trial of study.trials) {
      expect(trial.state).toBe(TrialState.COMPLETE);
      expect(trial.params.classifier === "svc").toBe("svcC" in trial.params);
    }
  });

  test("report, shouldPrune and a TrialPruned from @shoal/core in a .ts objective prune the trial", async () => {
    const study = quietStudy({ pruner: new MedianPruner({ nStartupTrials: 2 }) });
    for (const x of [0, 0, 9]) study.enqueueTrial({ x });
    await optimizeFixture("prunes.ts", { nTrials: 3 }, study);
    expect(states(study.trials)).toEqual([TrialState.COMPLETE, TrialState.COMPLETE, TrialState.PRUNED]);
    expect(study.trials[0]?.intermediateValues).toEqual({ 0: 10, 1: 9, 2: 8, 3: 7, 4: 6 });
    expect(study.trials[2]).toMatchObject({ value: 91, intermediateValues: { 0: 91 } });
  });

  test("setUserAttr in the thread shows up on the study's trial", async () => {
    const study = await optimizeFixture("user-attrs.mjs", { nTrials: 1 });
    expect(study.trials[0]?.userAttrs.config).toEqual({ layers: [32, 16], name: "small" });
  });

  test.sequential("jobs 3 runs three trials at once, in three threads", async () => {
    const study = await optimizeFixture("sleeps.mjs", { nTrials: 3, jobs: 3 });
    const spans = study.trials.map((t) => t.userAttrs.ran as [number, number]);
    const lastStart = Math.max(...spans.map(([start]) => start));
    const firstEnd = Math.min(...spans.map(([, end]) => end));
    // All three were sleeping at one moment; one after another would take 900 ms.
    expect(lastStart).toBeLessThan(firstEnd);
    expect(Math.max(...spans.map(([, end]) => end)) - Math.min(...spans.map(([start]) => start))).toBeLessThan(750);
  });

  test("catchErrors false re-throws the first error once its trial is recorded as FAIL", async () => {
    const study = quietStudy();
    await expect(optimizeFixture("throws.mjs", { nTrials: 5, catchErrors: false }, study)).rejects.toMatchObject({
      name: "RangeError",
      message: "boom",
    });
    expect(states(study.trials)).toEqual([TrialState.FAIL]);
  });

  test.each([
    ["missing.mjs", "the file does not exist"],
    ["no-objective.mjs", "it exports no `objective` function (its exports: learningRate: number, train: function)"],
  ])("throws ObjectiveLoadError before any trial for %s", async (file, reason) => {
    const study = quietStudy();
    const error = await optimizeFixture(file, { nTrials: 3 }, study).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectiveLoadError);
    expect(error).toMatchObject({ message: `Cannot load the objective module ${fixture(file)}: ${reason}` });
    expect(study.trials).toEqual([]);
  });

  test("jobs must be an integer >= 1", async () => {
    await expect(optimizeFixture("quadratic.mjs", { jobs: 0 })).rejects.toThrow(
      'Invalid option "jobs": must be an integer >= 1, got 0.',
    );
  });
});
