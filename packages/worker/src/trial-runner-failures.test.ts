import { describe, expect } from "vitest";
import { ThreadCrashedError, TrialRunnerClosedError, TrialTimeoutError } from "./errors.js";
import { quietStudy, test } from "./test-fixtures/harness.js";

describe.concurrent("TrialRunner when a trial goes wrong", () => {
  test("a trial past trialTimeoutSeconds rejects with TrialTimeoutError; a new thread runs the next one", async ({ openRunner }) => {
    const runner = openRunner("hangs-first.mjs", { trialTimeoutSeconds: 1 });
    const study = quietStudy();
    const error = await runner.run(study.ask()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrialTimeoutError);
    expect(error).toMatchObject({ message: "The trial ran past its time limit of 1 s (--trial-timeout) and its thread was stopped", trialNumber: 0, seconds: 1 });
    expect(runner.threadCount).toBe(0);
    await expect(runner.run(study.ask())).resolves.toBeTypeOf("number");
    expect(runner.threadCount).toBe(1);
  });

  test("process.exit in the objective rejects with ThreadCrashedError saying so", async ({ openRunner }) => {
    const runner = openRunner("exits-first.mjs");
    const study = quietStudy();
    const error = await runner.run(study.ask()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreadCrashedError);
    expect(error).toMatchObject({
      message: "The trial thread exited with code 3: the objective (or a module it uses) called process.exit(); return a value or throw instead",
      trialNumber: 0,
      kind: "exited",
      exitCode: 3,
    });
    await expect(runner.run(study.ask())).resolves.toBeTypeOf("number");
  });

  test("running out of memory rejects with ThreadCrashedError saying so", async ({ openRunner }) => {
    const runner = openRunner("exhausts-memory-first.mjs", { resourceLimits: { maxOldGenerationSizeMb: 32 } });
    const study = quietStudy();
    const error = await runner.run(study.ask()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreadCrashedError);
    expect(error).toMatchObject({
      message: "The trial thread ran out of memory (heap limit 32 MB; raise it with --trial-memory MB, or the trialMemoryMb option)",
      kind: "out-of-memory",
    });
    await expect(runner.run(study.ask())).resolves.toBeTypeOf("number");
  });

  test("an error nothing catches (thrown from a timer) rejects with ThreadCrashedError naming it", async ({ openRunner }) => {
    const runner = openRunner("throws-later.mjs");
    const error = await runner.run(quietStudy().ask()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreadCrashedError);
    expect(error).toMatchObject({
      message: "The trial thread crashed with an uncaught TypeError('late failure')",
      kind: "uncaught-error",
    });
    expect((error as Error).cause).toMatchObject({ name: "TypeError", message: "late failure" });
  });

  test("close() rejects the trials running and waiting, and every later run", async ({ openRunner }) => {
    const runner = openRunner("hangs-first.mjs");
    const study = quietStudy();
    await runner.check();
    const running = runner.run(study.ask()).catch((e: unknown) => e);
    const waiting = runner.run(study.ask()).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await runner.close();
    expect(runner.threadCount).toBe(0);
    expect(await running).toEqual(new TrialRunnerClosedError("while trial 0 was running"));
    expect(await waiting).toEqual(new TrialRunnerClosedError("before trial 1 started"));
    await expect(runner.run(study.ask())).rejects.toThrow("The TrialRunner was closed before trial 2 started.");
  });
});
