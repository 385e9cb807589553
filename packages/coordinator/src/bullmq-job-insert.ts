/**
 * The one place Shoal depends on BullMQ's internals, pinned with its version (bullmq is pinned
 * exactly in package.json): the Lua script of a plain job insert, and the command name under which
 * `Job.addJob` queues it. Why: the coordinator writes a batch of trials and their jobs in ONE
 * MULTI (a job never exists without its trial, and one round trip per batch), which BullMQ's
 * public API cannot do (`Queue.addBulk` makes its own MULTI). And the MULTI is made on a
 * connection with only this script defined, because ioredis copies every defined script into each
 * MULTI it builds, about 50 µs each for BullMQ's ~50 scripts on its own client.
 *
 * `bullmq-job-insert.test.ts` fails loudly on an upgrade: check the script's name and keys and
 * `Job.addJob`'s command, then update BULLMQ_VERSION.
 */
import { addStandardJob } from "bullmq/dist/esm/scripts/addStandardJob-9.js";
import type { ChainableCommander, Redis } from "ioredis";
import type { Job } from "bullmq";

/** The BullMQ release the script path and the command name below were read from. */
export const BULLMQ_VERSION = "6.7.0";

/** The script BullMQ runs for a job with no delay, priority or parent. */
export const JOB_INSERT_SCRIPT = addStandardJob;

/** What Job.addJob takes: BullMQ's client or one of its transactions. */
export type BullTransaction = Parameters<Job["addJob"]>[0];

/** The name the insert script has on Shoal's connections. */
const ADD_JOB_COMMAND = "shoalAddStandardJob";

type WithAddJob = ChainableCommander & Record<typeof ADD_JOB_COMMAND, (args: unknown[]) => ChainableCommander>;

/** Defines the insert script on `redis` (once), so MULTIs made on it can add jobs. */
export function defineJobInsert(redis: Redis): void {
  if (typeof (redis as unknown as Partial<WithAddJob>)[ADD_JOB_COMMAND] === "function") return;
  redis.defineCommand(ADD_JOB_COMMAND, { numberOfKeys: addStandardJob.keys, lua: addStandardJob.content });
}

/**
 * The part of BullMQ's transaction interface that `Job.addJob` uses for a job with no delay,
 * priority or parent: `runCommand("addStandardJob:<version>", args)`, on a MULTI made on a
 * connection where defineJobInsert ran. Any other command means BullMQ changed how it adds a
 * job, and is refused rather than sent wrong.
 */
export function asBullTransaction(multi: ChainableCommander): BullTransaction {
  const transaction = multi as WithAddJob & { runCommand(name: string, args: unknown[]): unknown };
  transaction.runCommand = (name: string, args: unknown[]) => {
    if (!name.startsWith(`${addStandardJob.name}:`)) {
      throw new Error(
        `Shoal internal error: BullMQ asked to run ${name} to add a trial job; Shoal adds plain jobs only ` +
          `(written for BullMQ ${BULLMQ_VERSION}: see bullmq-job-insert.ts).`,
      );
    }
    return (multi as WithAddJob)[ADD_JOB_COMMAND](args);
  };
  return transaction as unknown as BullTransaction;
}
