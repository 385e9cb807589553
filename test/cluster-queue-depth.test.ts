import { describe, expect, it } from "vitest";
import { useCluster } from "./cluster-harness.js";

const env = useCluster();

/** Waits until the queue's waiting count has not changed for 2 s (announcements refresh every second), then returns it. */
async function settledWaiting(c: Awaited<ReturnType<typeof env.cluster>>): Promise<number> {
  let last = { waiting: -1, since: Date.now() };
  return c.waitFor("the queue to settle", async () => {
    const counts = await c.queue().getJobCounts("waiting", "active");
    const waiting = counts.waiting ?? 0;
    if (waiting !== last.waiting || counts.active !== 2) last = { waiting, since: Date.now() };
    return Date.now() - last.since >= 2000 ? waiting : null;
  });
}

describe("how far the coordinator samples ahead of its workers", () => {
  // Two slots whose trials take minutes: the cluster holds still once the queue is topped up.
  const slow = { SHOAL_TEST_SLEEP_MS: "120000" };

  it("a sampler that learns from results (TPE): two trials queued beyond the busy slots", async () => {
    const c = await env.cluster();
    await c.startWorker("quadratic.mjs", { id: "w", concurrency: 2, env: slow });
    c.startCoordinator({ study: "late", trials: 50, args: ["--sampler", "tpe"] });
    expect(await settledWaiting(c)).toBe(2);
  });

  it("random search, which loses nothing by sampling early: four trials queued per slot", async () => {
    const c = await env.cluster();
    await c.startWorker("quadratic.mjs", { id: "w", concurrency: 2, env: slow });
    c.startCoordinator({ study: "early", trials: 50, args: ["--sampler", "random"] });
    expect(await settledWaiting(c)).toBe(8);
  });
});
