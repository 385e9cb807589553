import path from "node:path";
import { createLogger } from "@shoal/core";
import { resolveRedisUrl } from "@shoal/redis";
import { QueueWorker } from "@shoal/worker";
import { z } from "zod";
import { UsageError } from "../errors.js";
import { checkObjectiveModule, choiceFlag, intFlag, parseFlags, parseRedisFlag, positiveNumberFlag } from "../flags.js";

export const WORKER_USAGE = `Usage: shoal worker <objective-module> --redis URL [options]

Takes trial jobs from Redis and runs them, each in its own worker thread. Jobs stamped for another
objective module are refused. SIGTERM (or Ctrl-C): stop taking jobs, put running trials back in the
queue at once, exit.

Options:
  --redis URL             Redis (default $SHOAL_REDIS_URL or $REDIS_URL)
  --concurrency N         trials at once, one thread each (default 1)
  --prefetch N            jobs taken beyond the free slots while trials take under 20 ms on
                          average, so a thread never waits on Redis for its next one (default 1;
                          0 = never)
  --queue NAME            BullMQ queue (default trials)
  --prefix P              Redis key prefix (default shoal)
  --trial-timeout S       fail a trial that runs longer than S seconds
  --lock-duration MS      a dead worker's trial is taken back after about this long (default 5000)
  --stalled-interval MS   how often to look for trials of dead workers (default 5000)
  --max-stalled N         times a trial may be taken back before it FAILs (default 2)
  --id NAME               this worker's name (default <host>-<pid>)
  --log-format FORMAT     pretty (default) or json
  -h, --help              this help`;

const workerFlags = z.object({
  redis: z.string().min(1).optional(),
  concurrency: intFlag("concurrency", 1, 1024).default(1),
  prefetch: intFlag("prefetch", 0, 1024).default(1),
  queue: z.string().min(1).optional(),
  prefix: z.string().min(1).optional(),
  "trial-timeout": positiveNumberFlag("trial-timeout", "seconds").optional(),
  "lock-duration": intFlag("lock-duration", 500).default(5000),
  "stalled-interval": intFlag("stalled-interval", 200).default(5000),
  "max-stalled": intFlag("max-stalled", 0, 100).default(2),
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, { message: "--id may hold letters, digits, '.', '_' and '-'" }).optional(),
  "log-format": choiceFlag("log-format", ["pretty", "json"]).default("pretty"),
  help: z.boolean().default(false),
});

/** `shoal worker`'s flags after validation. */
export interface WorkerCommand {
  objectiveModule: string;
  redisUrl: string;
  concurrency: number;
  prefetch: number;
  queue: string | undefined;
  prefix: string | undefined;
  trialTimeoutSeconds: number | undefined;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  workerId: string | undefined;
  logFormat: "pretty" | "json";
}

/** Validates `shoal worker` arguments; null for --help. */
export function parseWorkerArgs(argv: readonly string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): WorkerCommand | null {
  const { values, positionals } = parseFlags(
    "worker",
    argv,
    {
      redis: { type: "string" },
      concurrency: { type: "string" },
      prefetch: { type: "string" },
      queue: { type: "string" },
      prefix: { type: "string" },
      "trial-timeout": { type: "string" },
      "lock-duration": { type: "string" },
      "stalled-interval": { type: "string" },
      "max-stalled": { type: "string" },
      id: { type: "string" },
      "log-format": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    workerFlags,
  );
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
    lockDurationMs: values["lock-duration"],
    stalledIntervalMs: values["stalled-interval"],
    maxStalledCount: values["max-stalled"],
    workerId: values.id,
    logFormat: values["log-format"],
  };
}

/** Runs a worker until SIGTERM or SIGINT, then drains it. */
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
  await stopped;
  return 0;
}
