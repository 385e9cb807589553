import { pathToFileURL } from "node:url";
import { threadId } from "node:worker_threads";
import { describe, expect } from "vitest";
import { fixture, quietStudy, test } from "./test-fixtures/harness.js";
import { TrialRunner } from "./trial-runner.js";

describe.concurrent("TrialRunner", () => {
  test("runs a .mjs objective in a thread and resolves with its value; params land on the real trial", async ({ openRunner }) => {
    const runner = openRunner("quadratic.mjs");
    const trial = quietStudy().ask();
    const value = await runner.run(trial);
    const x = trial.params.x as number;
    expect(typeof x).toBe("number");
    expect(value).toBeCloseTo((x - 2) ** 2, 12);
    expect(trial.distributions.x).toEqual({ kind: "float", low: -10, high: 10, step: null, log: false });
  });

  test.for([
    ["in a package of type module", "quadratic.ts"],
    ["in a CommonJS package", "commonjs-package/quadratic.ts"],
  ] as const)("runs a .ts objective %s", async ([, file], { openRunner }) => {
    const runner = openRunner(file);
    const trial = quietStudy().ask();
    const value = await runner.run(trial);
    expect(value).toBeTypeOf("number");
    expect(Object.keys(trial.params).sort()).toEqual(file === "quadratic.ts" ? ["x", "y"] : ["x"]);
  });

  test("a run beyond the free threads waits for one; onStart runs when a thread takes it, and busy counts the threads taken", async ({ openRunner }) => {
    const runner = openRunner("sleeps.mjs", { threads: 1 });
    await runner.check();
    const study = quietStudy();
    const [first, second] = [study.ask(), study.ask()];
    const started: Array<[number, number]> = [];
    const runs = Promise.all([first, second].map((t) => runner.run(t, () => started.push([t.number, Date.now()]))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runner.busy).toBe(1);
    expect(started.map(([n]) => n)).toEqual([first.number]);
    await runs;
    expect(started.map(([n]) => n)).toEqual([first.number, second.number]);
    const [firstRan] = first.userAttrs.ran as [number, number];
    const [secondRan] = second.userAttrs.ran as [number, number];
    // The second started only once the first's 300 ms were over, and its objective right after onStart.
    expect(secondRan - firstRan).toBeGreaterThanOrEqual(250);
    expect(started[1]![1]).toBeLessThanOrEqual(secondRan);
    expect(started[1]![1]).toBeGreaterThanOrEqual(firstRan + 250);
    expect(runner.busy).toBe(0);
  });

  test("accepts a default export that is a function", async ({ openRunner }) => {
    const runner = openRunner("default-export.mjs");
    const study = quietStudy();
    const trial = study.ask();
    const value = await runner.run(trial);
    expect(value).toBe((trial.params.n as number) * 10);
  });

  test("passes any return value through; one that cannot leave the thread rejects", async ({ openRunner }) => {
    const runner = openRunner("returns-value.mjs");
    const study = quietStudy();
    study.enqueueTrial({ kind: "object" });
    study.enqueueTrial({ kind: "function" });
    await expect(runner.run(study.ask())).resolves.toEqual({ loss: 0.5, tags: ["a"] });
    const error = await runner.run(study.ask()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TypeError" });
    expect((error as Error).message).toMatch(/^The objective returned a value that cannot leave its thread: /);
  });

  test("rejects with the objective's error rebuilt: name, message and the thread's stack", async ({ openRunner }) => {
    const runner = openRunner("throws.mjs");
    const error = (await runner.run(quietStudy().ask()).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("RangeError");
    expect(error.message).toBe("boom");
    expect(error.stack).toContain("throws.mjs");
  });

  test("an error of the real trial (low > high) is thrown inside the thread, at the objective's call", async ({ openRunner }) => {
    const failing = openRunner("bad-search-space.mjs");
    const error = (await failing.run(quietStudy().ask()).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe("SearchSpaceError");
    expect(error.message).toBe(
      'Invalid search space for parameter "learningRate": low (1) must be less than or equal to high (0.1).',
    );
    expect(error.stack).toContain("bad-search-space.mjs");

    const catching = openRunner("catches-search-space-error.mjs");
    const trial = quietStudy().ask();
    await expect(catching.run(trial)).resolves.toBe(1);
    expect(trial.userAttrs.caught).toEqual({
      name: "SearchSpaceError",
      message: 'Invalid search space for parameter "layers": low (5) must be less than or equal to high (1).',
    });
  });

  test("the thread's trial keeps params, distributions and userAttrs up to date", async ({ openRunner }) => {
    const runner = openRunner("user-attrs.mjs");
    const trial = quietStudy().ask();
    await runner.run(trial);
    expect(trial.userAttrs.config).toEqual({ layers: [32, 16], name: "small" });
    expect(trial.userAttrs.seenInThread).toEqual({
      params: trial.params,
      distributions: trial.distributions,
      userAttrs: { config: { layers: [32, 16], name: "small" } },
    });
  });

  test("a call on a trial that has finished throws in the thread instead of reaching the next trial", async ({ openRunner }) => {
    const runner = openRunner("calls-late.mjs");
    const study = quietStudy();
    const first = study.ask();
    await runner.run(first);
    await expect(runner.run(study.ask())).resolves.toBe(
      "TrialStateError: trial.report() was called after its trial had finished.",
    );
    expect(first.frozen().intermediateValues).toEqual({});
  });

  test("reuses its threads: module-level state survives from one trial to the next", async ({ openRunner }) => {
    const runner = openRunner("counts-trials.mjs");
    const study = quietStudy();
    const trials = [study.ask(), study.ask(), study.ask()];
    for (const trial of trials) await runner.run(trial);
    expect(trials.map((t) => t.userAttrs.trialsInThisThread)).toEqual([1, 2, 3]);
    const threads = new Set(trials.map((t) => t.userAttrs.threadId));
    expect(threads.size).toBe(1);
    expect(threads.has(threadId)).toBe(false);
    expect(runner.threadCount).toBe(1);
  });

  test("runs up to `threads` trials at once, queueing the rest", async ({ openRunner }) => {
    const runner = openRunner("sleeps.mjs", { threads: 2 });
    await runner.check();
    const study = quietStudy();
    const trials = Array.from({ length: 4 }, () => study.ask());
    await Promise.all(trials.map((trial) => runner.run(trial)));
    expect(runner.threadCount).toBe(2);
    const spans = trials.map((t) => t.userAttrs.ran as [number, number]);
    // No instant is covered by more than two trials.
    for (const [start] of spans) {
      expect(spans.filter(([s, e]) => s <= start && start < e).length).toBeLessThanOrEqual(2);
    }
  });

  test("takes the module as a file: URL too", async () => {
    const runner = new TrialRunner({ objectiveModule: pathToFileURL(fixture("quadratic.mjs")).href });
    try {
      await expect(runner.run(quietStudy().ask())).resolves.toBeTypeOf("number");
    } finally {
      await runner.close();
    }
    expect(runner.threadCount).toBe(0);
  });
});
