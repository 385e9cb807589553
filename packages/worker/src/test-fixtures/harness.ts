/** What the worker tests share: fixture paths, a quiet seeded study, runners closed after each test. */
import { fileURLToPath } from "node:url";
import { createLogger, createStudy, RandomSampler, type CreateStudyOptions, type Study } from "@shoal/core";
import { test as base, expect } from "vitest";
import { TrialRunner } from "../trial-runner.js";
import type { TrialRunnerOptions } from "../trial-runner-options.js";

/** Absolute path of a file in test-fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

/** A study with a seeded RandomSampler and no log output. */
export function quietStudy(options: CreateStudyOptions = {}): Study {
  const logger = createLogger({ level: "silent" });
  return createStudy({ sampler: new RandomSampler({ seed: 1 }), logger, ...options });
}

type OpenRunner = (objective: string, options?: Omit<TrialRunnerOptions, "objectiveModule">) => TrialRunner;

/**
 * `test` with an `openRunner` fixture: a TrialRunner on a fixture module, closed when the test
 * ends, which then fails if any of its threads lives on. Per test, so tests may run concurrently.
 */
export const test = base.extend<{ openRunner: OpenRunner }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads fixture dependencies from this pattern.
  openRunner: async ({}, use) => {
    const runners: TrialRunner[] = [];
    await use((objective, options = {}) => {
      const runner = new TrialRunner({ objectiveModule: fixture(objective), ...options });
      runners.push(runner);
      return runner;
    });
    await Promise.all(runners.map((runner) => runner.close()));
    for (const runner of runners) expect(runner.threadCount, "threads left after close()").toBe(0);
  },
});
