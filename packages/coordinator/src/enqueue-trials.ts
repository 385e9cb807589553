import { trialJobId, type RedisStorage, type TrialJob } from "@shoal/redis";
import { Job, type JobsOptions, type Queue } from "bullmq";
// BullMQ's own Lua for a plain job insert (bullmq is pinned, so it is the script the Queue loads).
import { addStandardJob } from "bullmq/dist/esm/scripts/addStandardJob-9.js";
import type { ChainableCommander, Redis } from "ioredis";

/** What Job.addJob takes: BullMQ's client or one of its transactions. */
type BullTransaction = Parameters<Job["addJob"]>[0];

/** The name the insert script has on Shoal's connections. */
const ADD_JOB_COMMAND = "shoalAddStandardJob";

type WithAddJob = ChainableCommander & Record<typeof ADD_JOB_COMMAND, (args: unknown[]) => ChainableCommander>;

/**
 * Writes the study's pending changes (the new trials among them) and adds a job for each trial,
 * in one MULTI and one round trip: a job never exists without its trial, and a failed write
 * leaves the changes pending for the next flush and no job (reconciling enqueues it again).
 *
 * The MULTI is made on `redis`, a connection to the queue's server that has none of BullMQ's
 * ~50 scripts defined: ioredis copies every defined script into each MULTI it builds (about
 * 50 µs each on BullMQ's own client), so only the one insert script is defined here, and
 * BullMQ's `Job.addJob` queues its command through a `runCommand` that calls it.
 */
export async function enqueueTrials(
  storage: RedisStorage,
  redis: Redis,
  queue: Queue,
  trials: readonly TrialJob[],
  options: JobsOptions,
): Promise<void> {
  defineAddJob(redis);
  const jobs = trials.map((data) => {
    const jobId = trialJobId(data.study, data.number);
    return new Job(queue, "trial", data, { ...options, jobId }, jobId);
  });
  await storage.flushWith(
    () => redis.multi(),
    (multi) => {
      const transaction = asBullTransaction(multi as WithAddJob);
      // The command is queued synchronously; its reply is checked with the MULTI's.
      for (const job of jobs) void job.addJob(transaction).catch(() => undefined);
    },
  );
}

function defineAddJob(redis: Redis): void {
  if (typeof (redis as unknown as Partial<WithAddJob>)[ADD_JOB_COMMAND] === "function") return;
  redis.defineCommand(ADD_JOB_COMMAND, { numberOfKeys: addStandardJob.keys, lua: addStandardJob.content });
}

/**
 * The part of BullMQ's transaction interface that `Job.addJob` uses for a job with no delay,
 * priority or parent: `runCommand("addStandardJob:<version>", args)`. Any other command means
 * BullMQ changed how it adds a job, and is refused rather than sent wrong.
 */
function asBullTransaction(multi: WithAddJob): BullTransaction {
  const transaction = multi as WithAddJob & { runCommand(name: string, args: unknown[]): unknown };
  transaction.runCommand = (name: string, args: unknown[]) => {
    if (!name.startsWith(`${addStandardJob.name}:`)) {
      throw new Error(`Shoal internal error: BullMQ asked to run ${name} to add a trial job; Shoal adds plain jobs only.`);
    }
    return multi[ADD_JOB_COMMAND](args);
  };
  return transaction as unknown as BullTransaction;
}
