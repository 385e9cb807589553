import { existsSync } from "node:fs";
import { parseRedisUrl } from "@shoal/redis";
import { UsageError } from "./errors.js";

// The commands' one import for flags: declaring them (flags/), parsing them, and the checks of
// values that need more than a schema.
export { defineFlags, flag, type Flag, type FlagSet, type FlagSpec, type FlagValues } from "./flags/define.js";
export { formatOptions } from "./flags/usage.js";
export { parseFlags } from "./flags/parse.js";
export { connectTimeoutMs, redisFlags, shutdownGraceFlag, shutdownGraceMs, SIGNAL_EXIT_CODES, trialMemoryFlag, trialTimeoutFlag } from "./flags/common.js";

/** Resolves and checks an objective module path: it must exist and be .js, .mjs or .ts. */
export function checkObjectiveModule(resolved: string, command: string): string {
  if (!existsSync(resolved)) throw new UsageError(`the objective module ${resolved} does not exist.`, command);
  if (!/\.(m?js|ts|mts)$/.test(resolved)) {
    throw new UsageError(`the objective module must be a .js, .mjs or .ts file, got ${resolved}.`, command);
  }
  return resolved;
}

/** Checks a --redis URL (redis:// or rediss://), turning a bad one into a usage error. */
export function parseRedisFlag(url: string, command: string): string {
  try {
    parseRedisUrl(url);
  } catch (error) {
    throw new UsageError(`--redis: ${(error as Error).message}`, command);
  }
  return url;
}
