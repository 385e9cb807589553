import path from "node:path";
import { createLogger } from "@shoal/core";
import { DEFAULT_WORKER_SHUTDOWN_GRACE_MS, resolveRedisUrl } from "@shoal/redis";
import { QueueWorker, STUDY_MISSING_GIVE_UP_MS } from "@shoal/worker";
import { UsageError } from "../errors.js";
import { exitSoonAfterCutShort } from "./cut-short-exit.js";
import {
  checkObjectiveModule,
  connectTimeoutMs,
  defineFlags,
  flag,
  formatOptions,
  parseFlags,
  parseRedisFlag,
  redisFlags,
  shutdownGraceFlag,
  shutdownGraceMs,
  SIGNAL_EXIT_CODES,
  trialMemoryFlag,
  trialTimeoutFlag,
  type FlagValues,
} from "../flags.js";

const workerFlags = defineFlags({
  redis: redisFlags.redis,
  concurrency: flag.int({ value: "N", min: 1, max: 1024, default: 1, help: "trials at once, one thread each (default {default})" }),
  prefetch: flag.int({
    value: "N",
    min: 0,
    max: 1024,
    default: 1,
    help:
      "jobs taken beyond the free slots while trials take under 20 ms on\n" +
      "average, so a thread never waits on Redis for its next one (default {default};\n" +
      "0 = never)",
  }),
  queue: redisFlags.queue,
  prefix: redisFlags.prefix,
  "connect-timeout": redisFlags["connect-timeout"],
  "trial-timeout": trialTimeoutFlag,
  "trial-memory": trialMemoryFlag,
  "lock-duration": flag.int({ value: "MS", min: 500, default: 5000, help: "a dead worker's trial is taken back after about this long (default {default})" }),
  "stalled-interval": flag.int({ value: "MS", min: 200, default: 5000, help: "how often to look for trials of dead workers (default {default})" }),
  "max-stalled": flag.int({ value: "N", min: 0, max: 100, default: 2, help: "times a trial may be taken back before it FAILs (default {default})" }),
  "lost-study-wait": flag.int({
    value: "MS",
    min: 0,
    default: STUDY_MISSING_GIVE_UP_MS,
    help:
      "jobs of a study that vanished from Redis (it lost its data) wait this\n" +
      "long for its coordinator to restore it, then are refused (default {default});\n" +
      "a job of a study that was never there is refused at once",
  }),
  "shutdown-grace": shutdownGraceFlag(
    `after SIGTERM or Ctrl-C, give putting running trials back in the queue at\n` +
      `most S seconds (default ${DEFAULT_WORKER_SHUTDOWN_GRACE_MS / 1000}, under docker stop's 10); then, or at once with\n` +
      `Redis unreachable and no trial held, exit ${SIGNAL_EXIT_CODES.SIGTERM} (${SIGNAL_EXIT_CODES.SIGINT} for Ctrl-C), the trials\n` +
      "not put back taken back by other workers after --lock-duration",
  ),
  id: flag.text({ value: "NAME", pattern: /^[A-Za-z0-9._-]+$/, rule: "may hold letters, digits, '.', '_' and '-'", help: "this worker's name (default <host>-<pid>)" }),
  "log-format": redisFlags["log-format"],
});

type WorkerFlags = FlagValues<typeof workerFlags>;

export const WORKER_USAGE = `Usage: shoal worker <objective-module> --redis URL [options]

Takes trial jobs from Redis and runs them, each in its own worker thread. Jobs stamped for another
objective module are refused, and so are stray ones (for a finished trial, or a trial or study
that is not in Redis). One live worker per --id: a second one is refused. SIGTERM (or Ctrl-C):
stop taking jobs, put running trials back in the queue at once, exit 0. While Redis is
unreachable that cannot be done: an idle worker exits at once, one running trials after
--shutdown-grace, leaving them for recovery (exit 143, or 130 for Ctrl-C).

${formatOptions(workerFlags, 24)}`;

/** `shoal worker`'s flags after validation. */
export interface WorkerCommand {
  objectiveModule: string;
  redisUrl: string;
  concurrency: WorkerFlags["concurrency"];
  prefetch: WorkerFlags["prefetch"];
  queue: WorkerFlags["queue"];
  prefix: WorkerFlags["prefix"];
  trialTimeoutSeconds: WorkerFlags["trial-timeout"];
  trialMemoryMb: WorkerFlags["trial-memory"];
  lockDurationMs: WorkerFlags["lock-duration"];
  stalledIntervalMs: WorkerFlags["stalled-interval"];
  maxStalledCount: WorkerFlags["max-stalled"];
  lostStudyWaitMs: WorkerFlags["lost-study-wait"];
  workerId: WorkerFlags["id"];
  logFormat: WorkerFlags["log-format"];
  /** The first connection's bound (--connect-timeout). */
  connectTimeoutMs: number;
  /** How long SIGTERM or Ctrl-C may take to put running trials back (--shutdown-grace). */
  shutdownGraceMs: number;
}

/** Validates `shoal worker` arguments; null for --help. */
export function parseWorkerArgs(argv: readonly string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): WorkerCommand | null {
  const { values, positionals } = parseFlags("worker", argv, workerFlags);
  if (values.help) return null;
  if (positionals.length !== 1) throw new UsageError("give exactly one objective module, e.g. shoal worker ./objective.ts --redis redis://localhost:6379.", "worker");
  let redisUrl: string;
  try {
    redisUrl = resolveRedisUrl(values.redis, env);
  } catch (error) {
    throw new UsageError((error as Error).message, "worker");
  }
  return {
    objectiveModule: checkObjectiveModule(path.resolve(cwd, positionals[0] as string), "worker"),
    redisUrl: parseRedisFlag(redisUrl, "worker"),
    concurrency: values.concurrency,
    prefetch: values.prefetch,
    queue: values.queue,
    prefix: values.prefix,
    trialTimeoutSeconds: values["trial-timeout"],
    trialMemoryMb: values["trial-memory"],
    lockDurationMs: values["lock-duration"],
    stalledIntervalMs: values["stalled-interval"],
    maxStalledCount: values["max-stalled"],
    lostStudyWaitMs: values["lost-study-wait"],
    workerId: values.id,
    logFormat: values["log-format"],
    connectTimeoutMs: connectTimeoutMs(values["connect-timeout"]),
    shutdownGraceMs: shutdownGraceMs(values["shutdown-grace"], DEFAULT_WORKER_SHUTDOWN_GRACE_MS),
  };
}

/**
 * Runs a worker until SIGTERM or SIGINT, then drains it. Exits 1 when its --id is another live
 * worker's (at start: WorkerIdTakenError; while it runs: the worker logged it and stopped); 143
 * (SIGTERM) or 130 (SIGINT) when the drain was cut short (QueueWorker.cutShort, which it logged).
 */
export async function runWorker(command: WorkerCommand): Promise<number> {
  const logger = createLogger({ format: command.logFormat });
  const worker = new QueueWorker({ ...command, logger });
  let signalled: keyof typeof SIGNAL_EXIT_CODES | null = null;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES): void => {
      signalled = signal;
      logger.info({ event: "worker_signal", signal }, `${signal}: no new trials; running ones go back to the queue.`);
      worker.stop().then(resolve, resolve);
    };
    process.once("SIGTERM", () => onSignal("SIGTERM"));
    process.once("SIGINT", () => onSignal("SIGINT"));
  });
  await worker.start();
  await Promise.race([stopped, worker.stopped]);
  if (worker.idTaken !== null) return 1;
  if (worker.cutShort !== null && signalled !== null) {
    const code = SIGNAL_EXIT_CODES[signalled];
    exitSoonAfterCutShort(code);
    return code;
  }
  return 0;
}
