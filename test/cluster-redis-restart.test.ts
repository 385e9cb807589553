import { TrialState } from "@shoal/core";
import { FAST_STALLS, loggedTrialNumbers, useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();

describe("a Redis restart mid-study (AOF on)", () => {
  it("the coordinator and the workers reconnect and the study ends with exactly its budget", async () => {
    const c = await env.cluster();
    const slow = { SHOAL_TEST_SLEEP_MS: "250" };
    const workers = await Promise.all(
      ["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, concurrency: 2, args: FAST_STALLS, env: slow })),
    );
    const coordinator = c.startCoordinator({ study: "outage", trials: 40, args: ["--sampler", "random"] });
    await c.waitFor("8 finished trials", async () => (await c.finished("outage")).length >= 8);

    await env.server().restart(1500);
    // Everything acknowledged before the kill survived (AOF, fsync always).
    expect((await c.finished("outage")).length).toBeGreaterThanOrEqual(8);

    expect((await coordinator.waitForExit(90_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("outage", 40);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    const logged = loggedTrialNumbers(coordinator.stderr);
    expect(new Set(logged).size).toBe(40);
    expect(logged).toHaveLength(40);
    // Both workers lived through it and ran trials after the restart.
    expect(workers.every((w) => w.running)).toBe(true);
    await c.waitFor("both workers to announce themselves again", async () =>
      (await c.redis.exists(c.keys.worker("a"), c.keys.worker("b"))) === 2,
    );
    await c.stopWorkers();
  });
});
