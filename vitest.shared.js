// Tests import each package from its src, never a possibly stale dist.
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export const sourceAliases = {
  "@shoal/core": here("./packages/core/src/index.ts"),
  "@shoal/redis": here("./packages/redis/src/index.ts"),
  "@shoal/journal": here("./packages/journal/src/index.ts"),
  "@shoal/worker": here("./packages/worker/src/index.ts"),
  "@shoal/coordinator": here("./packages/coordinator/src/index.ts"),
  "@shoal/viz": here("./packages/viz/src/index.ts"),
  // An alias matches its subpaths too ("@shoal/testing/x" -> ".../index.ts/x"): the entry points
  // below @shoal/testing come before it, and the first match wins.
  "@shoal/testing/cli": here("./packages/testing/src/run-cli.ts"),
  "@shoal/testing/cluster": here("./packages/testing/src/cluster-harness.ts"),
  "@shoal/testing": here("./packages/testing/src/index.ts"),
};
