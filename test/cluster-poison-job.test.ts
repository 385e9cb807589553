import { DEFAULT_QUEUE } from "@shoal/redis";
import { FAST_STALLS, useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();

describe("a job whose data is not JSON (issue 11)", () => {
  it("is failed once with a clear reason, in one log line, and never retried", async () => {
    const c = await env.cluster();
    const workers = await Promise.all(["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, args: FAST_STALLS })));
    const jobId = "hand.0";
    const job = c.keys.job(DEFAULT_QUEUE, jobId);
    const queueKey = (name: string) => `${c.prefix}:${DEFAULT_QUEUE}:${name}`;
    // As BullMQ lays a waiting job out: its hash, its id in the wait list, a marker to wake a blocked worker.
    await c.redis
      .multi()
      .hset(job, { name: "trial", data: "{not json", opts: JSON.stringify({ attempts: 3 }), timestamp: Date.now(), delay: 0, priority: 0 })
      .lpush(queueKey("wait"), jobId)
      .zadd(queueKey("marker"), 0, "0")
      .exec();

    await c.waitFor("the job to fail", async () => (await c.redis.zscore(queueKey("failed"), jobId)) !== null);
    // Several stalled checks later (FAST_STALLS: every second), nothing took it again.
    await new Promise((r) => setTimeout(r, 3500));
    const hash = await c.redis.hgetall(job);
    expect(hash.failedReason).toMatch(/^Malformed trial job hand\.0 in Redis: its data is not JSON \(.+\); a trial job's data is the JSON object/);
    expect(hash.data, "the data stays for inspection").toBe("{not json");
    expect(hash.ats, "started once").toBe("1");
    expect(hash.atm, "one attempt, though opts allowed 3").toBe("1");
    expect(await c.redis.lrange(queueKey("active"), 0, -1)).toEqual([]);
    expect(await c.redis.lrange(queueKey("wait"), 0, -1)).toEqual([]);

    const stderr = workers.map((w) => w.stderr).join("");
    const refusals = stderr.split("\n").filter((l) => l.includes(`Job ${jobId} refused: ${hash.failedReason}`));
    expect(refusals, c.describe()).toHaveLength(1);
    expect(stderr, "no stack trace").not.toContain("\n    at ");
    expect(stderr).not.toMatch(/SyntaxError|Worker: Expected/);
    expect(workers.every((w) => w.running)).toBe(true);
    await c.stopWorkers();
  });
});
