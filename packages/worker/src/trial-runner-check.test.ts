import { describe, expect } from "vitest";
import { ObjectiveLoadError } from "./errors.js";
import { fixture, quietStudy, test } from "./test-fixtures/harness.js";

describe.concurrent("TrialRunner.check", () => {
  test("passes for a module that exports an objective, leaving its thread for the first trial", async ({ openRunner }) => {
    const runner = openRunner("quadratic.mjs");
    await runner.check();
    expect(runner.threadCount).toBe(1);
    await runner.run(quietStudy().ask());
    expect(runner.threadCount).toBe(1);
  });

  test.for([
    ["missing.mjs", "the file does not exist"],
    ["commonjs-package", "it is not a file"],
    ["no-objective.mjs", "it exports no `objective` function (its exports: learningRate: number, train: function)"],
    ["throws-on-import.mjs", "importing it threw Error: data set not found: iris.csv"],
  ] as const)("throws ObjectiveLoadError for %s: %s", async ([file, reason], { openRunner }) => {
    const error = await openRunner(file).check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectiveLoadError);
    expect(error).toMatchObject({
      message: `Cannot load the objective module ${fixture(file)}: ${reason}`,
      modulePath: fixture(file),
      reason,
    });
  });

  test("throws ObjectiveLoadError for a syntax error, naming it", async ({ openRunner }) => {
    const error = await openRunner("syntax-error.mjs").check().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectiveLoadError);
    expect((error as ObjectiveLoadError).reason).toMatch(/^importing it threw SyntaxError: /);
  });

  test("run() rejects with ObjectiveLoadError when a new thread cannot load the module", async ({ openRunner }) => {
    const runner = openRunner("no-objective.mjs");
    await expect(runner.run(quietStudy().ask())).rejects.toThrow(ObjectiveLoadError);
    expect(runner.threadCount).toBe(0);
  });
});
