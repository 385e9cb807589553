import { createRedisConnection } from "@shoal/redis";
import { useCluster } from "@shoal/testing/cluster";
import { UnrecoverableError, Worker } from "bullmq";
import { waitFor } from "@shoal/testing";
import { describe, expect, it } from "vitest";
import { JobOutcomeReader, type JobOutcome } from "./job-outcomes.js";

const env = useCluster();

describe("JobOutcomeReader", () => {
  it("reports the completed and failed jobs of its study from BullMQ's event stream, from where it started, through a dropped connection", async () => {
    const c = await env.cluster();
    const queue = c.queue();
    const workerConnection = createRedisConnection(c.url);
    workerConnection.on("error", () => undefined); // dropped below on purpose
    const worker = new Worker(
      "trials",
      async (job) => {
        if (job.data.fail) throw new UnrecoverableError(`no good: ${job.id}`);
        return { number: job.data.n };
      },
      { connection: workerConnection, prefix: c.prefix, concurrency: 2 },
    );
    const until = (n: number, what: string) =>
      c.waitFor(what, async () => {
        const counts = await queue.getJobCounts("completed", "failed");
        return (counts.completed ?? 0) + (counts.failed ?? 0) >= n;
      });

    // Finished before the reader starts: not reported (the coordinator reconciles those).
    await queue.add("trial", { n: 0 }, { jobId: "mine.0" });
    await until(1, "the job before the start");

    const connection = createRedisConnection(c.url);
    connection.on("error", () => undefined);
    const seen: JobOutcome[] = [];
    const reader = new JobOutcomeReader(connection, c.keys.queueEvents("trials"), "mine.", (o) => seen.push(o));
    await reader.start();

    await queue.add("trial", { n: 1 }, { jobId: "mine.1" });
    await queue.add("trial", { n: 2, fail: true }, { jobId: "mine.2" });
    // Another study's jobs on the same queue (and a prefix of "mine." that is not it) are not ours.
    await queue.add("trial", { n: 3 }, { jobId: "other.3" });
    await queue.add("trial", { n: 4 }, { jobId: "mine2.4" });
    await c.waitFor("two outcomes", async () => seen.length >= 2);
    // Every job done first: one still active when the connections drop would wait out BullMQ's
    // stalled-job check (30 s) before it finishes.
    await until(5, "the jobs before the drop");

    // The reader's connection dropped while it waits in XREAD: it reads on once reconnected.
    await c.redis.client("KILL", "TYPE", "normal", "SKIPME", "yes");
    await queue.add("trial", { n: 5 }, { jobId: "mine.5" });
    await c.waitFor("the outcome after the dropped connection", async () => seen.length >= 3, 15_000);
    await until(6, "every job");

    expect([...seen].sort((a, b) => a.jobId.localeCompare(b.jobId))).toEqual([
      { jobId: "mine.1", returnvalue: JSON.stringify({ number: 1 }) },
      { jobId: "mine.2", failedReason: "no good: mine.2" },
      { jobId: "mine.5", returnvalue: JSON.stringify({ number: 5 }) },
    ]);
    await reader.close();
    connection.disconnect();
    await worker.close();
    workerConnection.disconnect();
  });

  it("with a read interval, reads at most that often while events keep coming, and brings what came meanwhile together", async () => {
    const c = await env.cluster();
    const queue = c.queue();
    const workerConnection = createRedisConnection(c.url);
    const worker = new Worker("trials", async (job) => job.data.n, { connection: workerConnection, prefix: c.prefix });
    const connection = createRedisConnection(c.url);
    const seen: Array<{ jobId: string; at: number }> = [];
    const reader = new JobOutcomeReader(connection, c.keys.queueEvents("trials"), "batch.", (o) => seen.push({ jobId: o.jobId, at: Date.now() }), 1500);
    await reader.start();

    await queue.add("trial", { n: 0 }, { jobId: "batch.0" });
    await c.waitFor("the first outcome", async () => seen.length === 1);
    await queue.add("trial", { n: 1 }, { jobId: "batch.1" });
    await queue.add("trial", { n: 2 }, { jobId: "batch.2" });
    await c.waitFor("both later outcomes", async () => (await queue.getJobCounts("completed")).completed === 3);
    // Done at once, but read only after the interval since the read that brought the first.
    await c.waitFor("the next read", async () => seen.length === 3, 10_000);
    const [first, second, third] = seen as [(typeof seen)[0], (typeof seen)[0], (typeof seen)[0]];
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
    // Both in that one read (the next would come another interval later).
    expect(third.at - second.at).toBeLessThan(500);
    await reader.close();
    connection.disconnect();
    await worker.close();
    workerConnection.disconnect();
  });

  it("close() ends a read that waits on a Redis that is down (a disconnect never settles it)", async () => {
    const c = await env.cluster();
    const redis = createRedisConnection(c.url);
    redis.on("error", () => undefined);
    const reader = new JobOutcomeReader(redis, c.keys.queueEvents("trials"), "mine.", () => undefined);
    await reader.start();
    try {
      await env.server().down();
      await waitFor("the connection down", () => redis.status !== "ready");
      redis.disconnect();
      const closedAt = Date.now();
      // Not its stuck-read timer (6 s): close() itself ends the wait.
      await reader.close();
      expect(Date.now() - closedAt).toBeLessThan(1000);
    } finally {
      await env.server().up();
    }
  });
});
