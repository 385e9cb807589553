import path from "node:path";
import { createLogger } from "@shoal/core";
import { resolveRedisUrl } from "@shoal/redis";
import { QueueWorker, STUDY_MISSING_GIVE_UP_MS } from "@shoal/worker";
import { UsageError } from "../errors.js";
import {
  checkObjectiveModule,
  connectTimeoutMs,
  defineFlags,
  flag,
  formatOptions,
  parseFlags,
  parseRedisFlag,
  redisFlags,
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
  id: flag.text({ value: "NAME", pattern: /^[A-Za-z0-9._-]+$/, rule: "may hold letters, digits, '.', '_' and '-'", help: "this worker's name (default <host>-<pid>)" }),
  "log-format": redisFlags["log-format"],
});

type WorkerFlags = FlagValues<typeof workerFlags>;

export const WORKER_USAGE = `Usage: shoal worker <objective-module> --redis URL [options]

Takes trial jobs from Redis and runs them, each in its own worker thread. Jobs stamped for another
objective module are refused, and so are stray ones (for a finished trial, or a trial or study
that is not in Redis). One live worker per --id: a second one is refused. SIGTERM (or Ctrl-C):
stop taking jobs, put running trials back in the queue at once, exit.

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
  };
}

/**
 * Runs a worker until SIGTERM or SIGINT, then drains it. Exits 1 when its --id is another live
 * worker's (at start: WorkerIdTakenError; while it runs: the worker logged it and stopped).
 */
export async function runWorker(command: WorkerCommand): Promise<number> {
  const logger = createLogger({ format: command.logFormat });
  const worker = new QueueWorker({ ...command, logger });
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: string): void => {
      logger.info({ event: "worker_signal", signal }, `${signal}: no new trials; running ones go back to the queue.`);
      worker.stop().then(resolve, resolve);
    };
    process.once("SIGTERM", () => onSignal("SIGTERM"));
    process.once("SIGINT", () => onSignal("SIGINT"));
  });
  await worker.start();
  await Promise.race([stopped, worker.stopped]);
  return worker.idTaken === null ? 0 : 1;
}
