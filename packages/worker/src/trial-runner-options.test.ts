import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { compileTrialRunnerOptions, DEFAULT_TRIAL_MEMORY_MB, type TrialRunnerOptions } from "./trial-runner-options.js";

describe("compileTrialRunnerOptions", () => {
  test("fills in the defaults and normalises the module to an absolute path and a file: URL", () => {
    const compiled = compileTrialRunnerOptions({ objectiveModule: "objective.ts" });
    expect(compiled).toEqual({
      objectivePath: path.resolve("objective.ts"),
      objectiveUrl: pathToFileURL(path.resolve("objective.ts")).href,
      threads: 1,
      trialTimeoutMs: null,
      resourceLimits: { maxOldGenerationSizeMb: DEFAULT_TRIAL_MEMORY_MB },
    });
  });

  test("trialMemoryMb is the threads' heap limit; resourceLimits.maxOldGenerationSizeMb may set it instead", () => {
    const limits = (options: Partial<TrialRunnerOptions>) =>
      compileTrialRunnerOptions({ objectiveModule: "o.js", ...options }).resourceLimits;
    expect(limits({ trialMemoryMb: 64 })).toEqual({ maxOldGenerationSizeMb: 64 });
    expect(limits({ trialMemoryMb: 64, resourceLimits: { stackSizeMb: 8 } })).toEqual({ maxOldGenerationSizeMb: 64, stackSizeMb: 8 });
    expect(limits({ resourceLimits: { maxOldGenerationSizeMb: 16 } })).toEqual({ maxOldGenerationSizeMb: 16 });
    expect(limits({ resourceLimits: { maxOldGenerationSizeMb: undefined } })).toEqual({ maxOldGenerationSizeMb: 1024 });
  });

  test("takes a file: URL and converts seconds to milliseconds", () => {
    const url = pathToFileURL("/tmp/objective.mjs").href;
    const compiled = compileTrialRunnerOptions({ objectiveModule: url, threads: 4, trialTimeoutSeconds: 2.5 });
    expect(compiled).toMatchObject({ objectivePath: "/tmp/objective.mjs", objectiveUrl: url, threads: 4, trialTimeoutMs: 2500 });
  });

  test.each([
    [{ objectiveModule: "" }, 'Invalid option "objectiveModule": must be a path or a file: URL of the objective module.'],
    [
      { objectiveModule: "https://example.com/objective.js" },
      'Invalid option "objectiveModule": must be a path or a file: URL, got "https://example.com/objective.js"; workers load objectives only from files.',
    ],
    [{ objectiveModule: "o.js", threads: 0 }, 'Invalid option "threads": must be an integer >= 1, got 0.'],
    [{ objectiveModule: "o.js", threads: 1.5 }, 'Invalid option "threads": must be an integer >= 1, got 1.5.'],
    [
      { objectiveModule: "o.js", trialTimeoutSeconds: 0 },
      'Invalid option "trialTimeoutSeconds": must be a number of seconds > 0 and <= 2147483, got 0.',
    ],
    [
      { objectiveModule: "o.js", trialTimeoutSeconds: 1e9 },
      'Invalid option "trialTimeoutSeconds": must be a number of seconds > 0 and <= 2147483, got 1000000000.',
    ],
    [
      { objectiveModule: "o.js", resourceLimits: { maxOldGenerationSizeMb: -1 } },
      'Invalid option "resourceLimits.maxOldGenerationSizeMb": must be a number of megabytes > 0, got -1.',
    ],
    [{ objectiveModule: "o.js", trialMemoryMb: 16 }, 'Invalid option "trialMemoryMb": must be an integer from 32 to 65536, got 16.'],
    [{ objectiveModule: "o.js", trialMemoryMb: 64.5 }, 'Invalid option "trialMemoryMb": must be an integer from 32 to 65536, got 64.5.'],
    [
      { objectiveModule: "o.js", trialMemoryMb: 64, resourceLimits: { maxOldGenerationSizeMb: 64 } },
      'Invalid option "trialMemoryMb": sets the heap limit of a thread, as resourceLimits.maxOldGenerationSizeMb does: give one of them.',
    ],
    [
      { objectiveModule: "o.js", resourceLimits: { maxHeapMb: 64 } },
      'Invalid option "resourceLimits.maxHeapMb": is not a limit; use one of maxOldGenerationSizeMb, maxYoungGenerationSizeMb, codeRangeSizeMb, stackSizeMb.',
    ],
  ])("rejects %j", (options, message) => {
    expect(() => compileTrialRunnerOptions(options as Parameters<typeof compileTrialRunnerOptions>[0])).toThrow(message);
  });
});
