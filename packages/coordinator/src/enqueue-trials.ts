import { trialJobId, type RedisStorage, type TrialJob } from "@shoal/redis";
import { Job, type JobsOptions, type Queue } from "bullmq";
import type { ChainableCommander } from "ioredis";

/** What Job.addJob takes: BullMQ's client or one of its transactions. */
type BullTransaction = Parameters<Job["addJob"]>[0];

/**
 * Writes the study's pending changes (the new trials among them) and adds a job for each trial,
 * in one MULTI and one round trip: a job never exists without its trial, and a failed write
 * leaves the changes pending for the next flush and no job (reconciling enqueues it again).
 * The MULTI is made on BullMQ's own client, where its scripts are defined.
 */
export async function enqueueTrials(
  storage: RedisStorage,
  queue: Queue,
  trials: readonly TrialJob[],
  options: JobsOptions,
): Promise<void> {
  const jobs = trials.map((data) => {
    const jobId = trialJobId(data.study, data.number);
    return new Job(queue, "trial", data, { ...options, jobId }, jobId);
  });
  const client = await queue.getBackend().client;
  await storage.flushWith(
    () => client.multi() as unknown as ChainableCommander,
    (multi) => {
      // The command is queued synchronously; its reply is checked with the MULTI's.
      for (const job of jobs) void job.addJob(multi as unknown as BullTransaction).catch(() => undefined);
    },
  );
}
