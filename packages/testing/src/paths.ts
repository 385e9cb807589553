import path from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo's root (with a trailing separator), for tests that need its files (examples/…). */
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** The objective modules the cluster tests run: quadratic.mjs, pruned.mjs, faulty.mjs, kill-self.mjs, objective-faults.mjs. */
export const fixturesDir = fileURLToPath(new URL("../fixtures", import.meta.url));

/** The path of one of the fixtures (`fixture("quadratic.mjs")`). */
export const fixture = (name: string): string => path.join(fixturesDir, name);
