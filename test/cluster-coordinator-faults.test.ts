import { TrialState } from "@shoal/core";
import { loggedTrialNumbers, useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();

describe("the coordinator", () => {
  // TPE queues 2 trials ahead; random search queues 4 a slot, so more jobs are queued at the kill.
  it.each([
    ["TPE", "tpe"],
    ["random search", "random"],
  ])("SIGKILLed mid-study and restarted (%s): the study ends with exactly its budget, finished trials not re-run", async (_, sampler) => {
    const c = await env.cluster();
    const slow = { SHOAL_TEST_SLEEP_MS: "300" };
    await Promise.all(["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, concurrency: 2, env: slow })));
    const first = c.startCoordinator({ study: "phoenix", trials: 40, args: ["--seed", "5", "--sampler", sampler] });
    await c.waitFor("10 finished trials", async () => (await c.finished("phoenix")).length >= 10);
    await first.kill("SIGKILL");
    const before = await c.finished("phoenix");
    expect(before.length).toBeLessThan(40);

    // The dead coordinator's lease is still in Redis: the new one waits for it to run out.
    const second = c.startCoordinator({ study: "phoenix", trials: 40, args: ["--seed", "5", "--sampler", sampler] });
    expect((await second.waitForExit(90_000)).code, c.describe()).toBe(0);
    expect(second.stderr).toMatch(/Using an existing study with name 'phoenix' instead of creating a new one\./);

    const trials = await c.expectExactBudget("phoenix", 40);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    // Trials finished before the kill are untouched: same value, worker and completion time.
    for (const t of before) {
      const now = trials[t.number]!;
      expect({ n: now.number, value: now.value, worker: now.systemAttrs.worker, done: now.datetimeComplete }).toEqual({
        n: t.number, value: t.value, worker: t.systemAttrs.worker, done: t.datetimeComplete,
      });
    }
    const again = loggedTrialNumbers(second.stderr);
    expect(again.filter((n) => before.some((t) => t.number === n))).toEqual([]);
    // Between them, the two coordinators logged every trial, and the second none twice.
    expect(new Set([...loggedTrialNumbers(first.stderr), ...again]).size).toBe(40);
    expect(new Set(again).size).toBe(again.length);
    expect(await c.queue().getJobCounts("completed", "failed")).toEqual({ completed: 40, failed: 0 });
    await c.stopWorkers();
  });

  it("a second coordinator on a running study exits with an error naming the study and the holder", async () => {
    const c = await env.cluster();
    await c.startWorker("quadratic.mjs", { id: "a", env: { SHOAL_TEST_SLEEP_MS: "200" } });
    const first = c.startCoordinator({ study: "taken", trials: 30, args: ["--sampler", "random"] });
    await c.waitFor("a trial finished", async () => (await c.finished("taken")).length >= 1);
    const holder = await c.redis.get(c.keys.lease("taken"));
    expect(holder).toMatch(new RegExp(`:${first.pid}:`));

    const second = c.startCoordinator({ study: "taken", trials: 30, args: ["--sampler", "random"] });
    const { code } = await second.waitForExit(30_000);
    expect(code).toBe(1);
    expect(second.stderr).toContain(`Study "taken" is already being coordinated by ${holder}`);
    expect(first.running).toBe(true);
    expect(await c.redis.get(c.keys.lease("taken"))).toBe(holder);

    // The first one is not disturbed: it ends the study, with its exact budget.
    expect((await first.waitForExit(60_000)).code, first.describe()).toBe(0);
    await c.expectExactBudget("taken", 30);
    expect(await c.redis.exists(c.keys.lease("taken"))).toBe(0);
    await c.stopWorkers();
  });
});
