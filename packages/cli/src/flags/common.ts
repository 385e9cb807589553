import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_PREFIX, DEFAULT_QUEUE } from "@shoal/redis";
import { DEFAULT_TRIAL_MEMORY_MB, TRIAL_MEMORY_MB_RANGE } from "@shoal/worker";
import { flag } from "./define.js";

/**
 * The flags that say where a cluster command finds its study: spread them into a new command's
 * flags, or take them one by one where a command's usage text orders or words them its own way
 * (`{ ...redisFlags.queue, help: "..." }`). The $SHOAL_REDIS_URL / $REDIS_URL fallback is not
 * here: resolveRedisUrl in @shoal/redis owns it, and `shoal optimize` uses it only in one case.
 */
export const redisFlags = {
  redis: flag.text({ value: "URL", help: "Redis (default $SHOAL_REDIS_URL or $REDIS_URL)" }),
  prefix: flag.text({ value: "P", help: `Redis key prefix (default ${DEFAULT_PREFIX})` }),
  queue: flag.text({ value: "NAME", help: `BullMQ queue (default ${DEFAULT_QUEUE})` }),
  // Only the first connection: a Redis lost later is waited for (a study carries on when it is back).
  "connect-timeout": flag.positiveNumber({
    value: "S",
    unit: "seconds",
    help: `fail when Redis does not answer within S seconds at start (default ${DEFAULT_CONNECT_TIMEOUT_MS / 1000})`,
  }),
  "log-format": flag.choice({ value: "FORMAT", choices: ["pretty", "json"], default: "pretty", help: "pretty (default) or json" }),
};

/**
 * `--shutdown-grace S`, a command's bound on its shutdown after SIGTERM or Ctrl-C. Each command
 * words its help (what it waits for, what it leaves) and has its own default.
 */
export function shutdownGraceFlag(help: string) {
  return flag.positiveNumber({ value: "S", unit: "seconds", help });
}

/** Exit codes of a shutdown cut short, as a shell reports a process its signal killed (128 + the signal's number). */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** The shutdown's bound in ms: `--shutdown-grace S`, else the command's default. */
export function shutdownGraceMs(seconds: number | undefined, defaultMs: number): number {
  return seconds === undefined ? defaultMs : Math.round(seconds * 1000);
}

/** A trial's time limit, enforced by whichever process runs the trial. */
export const trialTimeoutFlag = flag.positiveNumber({ value: "S", unit: "seconds", help: "fail a trial that runs longer than S seconds" });

/**
 * A trial thread's heap limit, enforced by whichever process runs the trial. No schema default:
 * the TrialRunner owns it, and `shoal optimize --redis` must tell a flag given from none.
 */
export const trialMemoryFlag = flag.int({
  value: "MB",
  ...TRIAL_MEMORY_MB_RANGE,
  help: `heap limit in MB of each trial's thread (default ${DEFAULT_TRIAL_MEMORY_MB}, from ${TRIAL_MEMORY_MB_RANGE.min} to ${TRIAL_MEMORY_MB_RANGE.max}): a\ntrial that needs more FAILs within seconds, and its thread is replaced`,
});

/** The first connection's bound in ms: `--connect-timeout S`, else the default. */
export function connectTimeoutMs(seconds: number | undefined): number {
  return seconds === undefined ? DEFAULT_CONNECT_TIMEOUT_MS : Math.round(seconds * 1000);
}
