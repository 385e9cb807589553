import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ResourceLimits } from "node:worker_threads";
import { checkIntegerOption, InvalidOptionError } from "@shoal/core";

/** Options of `new TrialRunner(...)`. */
export interface TrialRunnerOptions {
  /**
   * The module exporting `objective(trial)` (or a default export that is a function): a path,
   * absolute or relative to the working directory, or a `file:` URL. `.js`, `.mjs` and `.ts` work.
   */
  objectiveModule: string;
  /** How many threads the pool holds, so how many trials run at once. @default 1 */
  threads?: number;
  /** Terminate a trial's thread after this many seconds and fail the trial. @default no limit */
  trialTimeoutSeconds?: number;
  /**
   * The heap limit of each thread, in MB (V8's old generation; ArrayBuffers and typed arrays are
   * outside it): a trial that allocates more FAILs within a second or two and its thread is
   * replaced, instead of taking the machine's memory and minutes of garbage collection first.
   * `shoal worker` and `shoal optimize` take it as --trial-memory. @default DEFAULT_TRIAL_MEMORY_MB
   */
  trialMemoryMb?: number;
  /**
   * Other limits of each thread (stack, young generation, code range). Its
   * `maxOldGenerationSizeMb`, if set, is the heap limit instead of `trialMemoryMb`. @default Node's
   */
  resourceLimits?: ResourceLimits;
}

/**
 * Each trial thread's heap limit unless told otherwise. Node's own is derived from the machine's
 * memory (about 4 GB on a 24 GB machine), so a runaway objective took 15-30 s and 3.5-4 GB before
 * it failed; 1 GB is ample for an objective's own objects (its big numeric data usually sits in
 * typed arrays, which the limit does not count) and fails a runaway one fast.
 */
export const DEFAULT_TRIAL_MEMORY_MB = 1024;
/** The range of trialMemoryMb: a thread needs some 20 MB of heap just to load an objective (with tsx). */
export const TRIAL_MEMORY_MB_RANGE = { min: 32, max: 65_536 } as const;

/** TrialRunnerOptions checked, defaulted and normalised once. */
export interface CompiledTrialRunnerOptions {
  /** Absolute path of the objective module. */
  objectivePath: string;
  /** The same as a `file:` URL, for import(). */
  objectiveUrl: string;
  threads: number;
  /** null: no timeout. */
  trialTimeoutMs: number | null;
  /** Always holds `maxOldGenerationSizeMb`: the heap limit, named in an out-of-memory failure. */
  resourceLimits: ResourceLimits & { maxOldGenerationSizeMb: number };
}

const trialRunnerDefaults: { threads: number; trialTimeoutSeconds: null; resourceLimits: ResourceLimits } = {
  threads: 1,
  trialTimeoutSeconds: null,
  resourceLimits: {},
};

// setTimeout fires at once past 2^31 - 1 ms, so longer timeouts are refused rather than misread.
const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

const RESOURCE_LIMIT_KEYS = [
  "maxOldGenerationSizeMb",
  "maxYoungGenerationSizeMb",
  "codeRangeSizeMb",
  "stackSizeMb",
] as const;

/** Validates TrialRunnerOptions; errors name the option, the bad value and what is allowed. */
export function compileTrialRunnerOptions(options: TrialRunnerOptions): CompiledTrialRunnerOptions {
  const objectivePath = resolveObjectivePath(options.objectiveModule);
  const threads = options.threads ?? trialRunnerDefaults.threads;
  checkIntegerOption("threads", threads, 1);
  const timeout = options.trialTimeoutSeconds ?? trialRunnerDefaults.trialTimeoutSeconds;
  if (timeout !== null && !(typeof timeout === "number" && timeout > 0 && timeout <= MAX_TIMEOUT_SECONDS)) {
    throw new InvalidOptionError(
      "trialTimeoutSeconds",
      `must be a number of seconds > 0 and <= ${MAX_TIMEOUT_SECONDS}, got ${String(timeout)}.`,
    );
  }
  const resourceLimits = options.resourceLimits ?? trialRunnerDefaults.resourceLimits;
  if (options.trialMemoryMb !== undefined && resourceLimits.maxOldGenerationSizeMb !== undefined) {
    throw new InvalidOptionError(
      "trialMemoryMb",
      "sets the heap limit of a thread, as resourceLimits.maxOldGenerationSizeMb does: give one of them.",
    );
  }
  const { min, max } = TRIAL_MEMORY_MB_RANGE;
  const trialMemoryMb = checkIntegerOption("trialMemoryMb", options.trialMemoryMb ?? DEFAULT_TRIAL_MEMORY_MB, min, max);
  for (const key of Object.keys(resourceLimits)) {
    const value: unknown = resourceLimits[key as keyof ResourceLimits];
    if (!(RESOURCE_LIMIT_KEYS as readonly string[]).includes(key)) {
      const allowed = RESOURCE_LIMIT_KEYS.join(", ");
      throw new InvalidOptionError(`resourceLimits.${key}`, `is not a limit; use one of ${allowed}.`);
    }
    if (value !== undefined && !(typeof value === "number" && value > 0)) {
      const got = String(value);
      throw new InvalidOptionError(`resourceLimits.${key}`, `must be a number of megabytes > 0, got ${got}.`);
    }
  }
  return {
    objectivePath,
    objectiveUrl: pathToFileURL(objectivePath).href,
    threads,
    trialTimeoutMs: timeout === null ? null : timeout * 1000,
    resourceLimits: { ...resourceLimits, maxOldGenerationSizeMb: resourceLimits.maxOldGenerationSizeMb ?? trialMemoryMb },
  };
}

function resolveObjectivePath(objectiveModule: unknown): string {
  if (typeof objectiveModule !== "string" || objectiveModule.length === 0) {
    throw new InvalidOptionError("objectiveModule", "must be a path or a file: URL of the objective module.");
  }
  if (/^[a-z][a-z0-9+.-]+:/i.test(objectiveModule) && !path.isAbsolute(objectiveModule)) {
    if (!objectiveModule.startsWith("file:")) {
      throw new InvalidOptionError(
        "objectiveModule",
        `must be a path or a file: URL, got ${JSON.stringify(objectiveModule)}; workers load objectives only from files.`,
      );
    }
    return fileURLToPath(objectiveModule);
  }
  return path.resolve(objectiveModule);
}
