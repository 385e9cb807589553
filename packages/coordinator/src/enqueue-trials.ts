import { trialJobId, type RedisStorage, type TrialJob } from "@shoal/redis";
import { Job, type JobsOptions, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { asBullTransaction, defineJobInsert } from "./bullmq-job-insert.js";

/**
 * Writes the study's pending changes (the new trials among them) and adds a job for each trial,
 * in one MULTI and one round trip: a job never exists without its trial, and a failed write
 * leaves the changes pending for the next flush and no job (reconciling enqueues it again).
 *
 * The MULTI is made on `redis`, a connection to the queue's server with none of BullMQ's own
 * scripts defined but the job insert (see bullmq-job-insert.ts for why).
 */
export async function enqueueTrials(
  storage: RedisStorage,
  redis: Redis,
  queue: Queue,
  trials: readonly TrialJob[],
  options: JobsOptions,
): Promise<void> {
  defineJobInsert(redis);
  const jobs = trials.map((data) => {
    const jobId = trialJobId(data.study, data.number);
    return new Job(queue, "trial", data, { ...options, jobId }, jobId);
  });
  await storage.flushWith(
    () => redis.multi(),
    (multi) => {
      const transaction = asBullTransaction(multi);
      // The command is queued synchronously; its reply is checked with the MULTI's.
      for (const job of jobs) void job.addJob(transaction).catch(() => undefined);
    },
  );
}
