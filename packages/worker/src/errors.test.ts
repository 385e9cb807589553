import { ShoalError } from "@shoal/core";
import { describe, expect, test } from "vitest";
import { ObjectiveLoadError, ThreadCrashedError, TrialRunnerClosedError, TrialTimeoutError } from "./errors.js";

describe("worker errors", () => {
  test("each is a ShoalError whose name survives a thread or process boundary", () => {
    const errors = [
      new TrialTimeoutError(3, 5),
      new ThreadCrashedError(3, "exited", 3, "exited with code 3"),
      new ObjectiveLoadError("/work/objective.ts", "the file does not exist"),
      new TrialRunnerClosedError("while trial 3 was running"),
    ];
    expect(errors.every((e) => e instanceof ShoalError)).toBe(true);
    expect(errors.map((e) => e.name)).toEqual([
      "TrialTimeoutError",
      "ThreadCrashedError",
      "ObjectiveLoadError",
      "TrialRunnerClosedError",
    ]);
  });

  test("messages say what happened to which trial or module", () => {
    expect(new TrialTimeoutError(3, 5).message).toBe("The trial ran past its time limit of 5 s (--trial-timeout) and its thread was stopped");
    expect(new TrialTimeoutError(3, 0.25).message).toBe("The trial ran past its time limit of 0.25 s (--trial-timeout) and its thread was stopped");
    expect(new ThreadCrashedError(7, "out-of-memory", 1, "ran out of memory (heap limit 64 MB)").message).toBe(
      "The trial thread ran out of memory (heap limit 64 MB)",
    );
    expect(new ObjectiveLoadError("/work/objective.ts", "the file does not exist").message).toBe(
      "Cannot load the objective module /work/objective.ts: the file does not exist",
    );
    expect(new TrialRunnerClosedError("before trial 4 started").message).toBe(
      "The TrialRunner was closed before trial 4 started.",
    );
  });
});
