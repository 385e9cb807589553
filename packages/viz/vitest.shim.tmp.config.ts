import { defineConfig } from "vitest/config";
import { sourceAliases } from "../../vitest.shared.js";

export default defineConfig({
  resolve: { alias: { ...sourceAliases, "@shoal/core": "/tmp/shoal-core-shim.ts" } },
  test: { include: ["src/**/*.test.ts"], testTimeout: 30_000 },
});
