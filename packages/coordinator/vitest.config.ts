import { defineConfig } from "vitest/config";
import { sourceAliases } from "../../vitest.shared.js";

export default defineConfig({
  resolve: { alias: sourceAliases },
  // enqueue-trials and job-outcomes run against a Redis server of their own and a BullMQ worker,
  // waiting up to 30 s per step: the e2e suite's timeouts, where they used to run.
  test: { include: ["src/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 60_000 },
});
