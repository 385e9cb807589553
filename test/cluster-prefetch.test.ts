import { TrialState } from "@shoal/core";
import { trialJobId } from "@shoal/redis";
import { useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();

// Trials 0-9 are instant, every later one takes 2 s: the worker sees short trials first.
const slowFrom10 = { SHOAL_TEST_SLEEP_MS: "2000", SHOAL_TEST_SLEEP_FROM: "10" };
const slowLocks = ["--lock-duration", "120000", "--stalled-interval", "120000"];

describe("a worker that takes a job ahead of its free slots (--prefetch)", () => {
  it("holds one job beyond its slot while trials are short, starts it only when the slot frees, and stops holding once they are long", async () => {
    const c = await env.cluster();
    await c.startWorker("quadratic.mjs", { id: "w", concurrency: 1, env: slowFrom10 });
    const coordinator = c.startCoordinator({ study: "ahead", trials: 13, args: ["--sampler", "random"] });
    const queue = c.queue();

    // Trial 10 runs (2 s) in the only slot; after ten short trials the worker holds trial 11 too.
    await c.waitFor("trial 10 running and a second job held", async () => {
      const t10 = await queue.getJob(trialJobId("ahead", 10));
      return (await t10?.getState()) === "active" && (await queue.getActiveCount()) === 2;
    });
    expect(await (await queue.getJob(trialJobId("ahead", 11)))?.getState()).toBe("active");

    // Trial 11 ran after trial 10, not beside it; by then the trials were long, so trial 12 was not held.
    await c.waitFor("trial 11 running", async () => (await c.trials("ahead"))[10]?.state === TrialState.COMPLETE);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await queue.getActiveCount()).toBe(1);

    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(0);
    const trials = await c.expectExactBudget("ahead", 13);
    const [t10, t11] = [trials[10]!, trials[11]!];
    expect(t11.datetimeStart!.getTime()).toBeGreaterThanOrEqual(t10.datetimeComplete!.getTime());
    // Its duration is its own run, not the time it was held.
    expect(t11.duration).toBeLessThan(3000);
    await c.stopWorkers();
  });

  it("--prefetch 0: never holds more jobs than it runs", async () => {
    const c = await env.cluster();
    await c.startWorker("quadratic.mjs", { id: "w", concurrency: 1, args: ["--prefetch", "0"], env: slowFrom10 });
    const coordinator = c.startCoordinator({ study: "none", trials: 11, args: ["--sampler", "random"] });
    const queue = c.queue();
    await c.waitFor("trial 10 running", async () => (await (await queue.getJob(trialJobId("none", 10)))?.getState()) === "active");
    for (let i = 0; i < 5; i++) {
      expect(await queue.getActiveCount()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(0);
    await c.expectExactBudget("none", 11);
    await c.stopWorkers();
  });

  it("SIGTERM: the held job goes back to the queue with the running one, no attempt used", async () => {
    const c = await env.cluster();
    const leaving = await c.startWorker("quadratic.mjs", { id: "leaving", concurrency: 1, args: slowLocks, env: slowFrom10 });
    const coordinator = c.startCoordinator({ study: "handback", trials: 12, args: ["--sampler", "random"] });
    const queue = c.queue();
    await c.waitFor("trial 10 running and trial 11 held", async () => {
      const [s10, s11] = await Promise.all([10, 11].map(async (n) => (await queue.getJob(trialJobId("handback", n)))?.getState()));
      return s10 === "active" && s11 === "active";
    });
    await leaving.kill("SIGTERM");
    expect((await leaving.waitForExit(15_000)).code, leaving.describe()).toBe(0);
    for (const n of [10, 11]) {
      const job = await queue.getJob(trialJobId("handback", n));
      expect(await job?.getState()).toBe("waiting");
      expect(job?.attemptsMade).toBe(0);
      expect(job?.stalledCounter).toBe(0);
    }

    await c.startWorker("quadratic.mjs", { id: "staying", concurrency: 1, args: slowLocks, env: slowFrom10 });
    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(0);
    const trials = await c.expectExactBudget("handback", 12);
    expect(trials[10]!.systemAttrs.worker).toBe("staying");
    expect(trials[11]!.systemAttrs.worker).toBe("staying");
    await c.stopWorkers();
  });
});
