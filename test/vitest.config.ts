import { defineConfig } from "vitest/config";
import { sourceAliases } from "../vitest.shared.js";

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: { include: ["**/*.test.ts"], exclude: ["**/node_modules/**"], testTimeout: 120_000, hookTimeout: 60_000 },
});
