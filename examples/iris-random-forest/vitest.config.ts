import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests import @shoal/core from its source, never a possibly stale dist.
  resolve: { alias: { "@shoal/core": fileURLToPath(new URL("../../packages/core/src/index.ts", import.meta.url)) } },
  test: { include: ["*.test.ts"], testTimeout: 30_000 },
});
