import { hostname } from "node:os";
import { parseWorkerAnnouncement } from "@shoal/redis";
import { fixture } from "@shoal/testing";
import { useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();

describe("one live worker per --id (issue 18)", () => {
  it("a second worker with a live worker's id exits 1 naming the first; once the first is SIGKILLed, the id is free again", async () => {
    const c = await env.cluster();
    const first = await c.startWorker("quadratic.mjs", { id: "same" });
    const announced = parseWorkerAnnouncement(await c.redis.get(c.keys.worker("same")));
    expect(announced?.pid).toBe(first.pid);

    const second = c.spawn("worker same (second)", ["worker", fixture("quadratic.mjs"), ...c.target, "--id", "same"]);
    expect((await second.waitForExit(20_000)).code, second.describe()).toBe(1);
    expect(second.stderr).toContain(
      `shoal: Worker id "same" is taken: worker "same" on host ${hostname()}, pid ${first.pid}, started at ${announced!.startedAt} ` +
        `(queue "trials", running) holds it and is alive (it refreshed its announcement just now). Give this worker another --id, or stop that one first.`,
    );
    expect(second.output).not.toMatch(/Worker same started/);
    // The first one's announcement stands, and it still works.
    expect(parseWorkerAnnouncement(await c.redis.get(c.keys.worker("same")))?.pid).toBe(first.pid);
    expect(first.running).toBe(true);

    // Killed, the first one leaves its announcement to run out (5 s); a restart right away waits for that, then starts.
    await first.kill("SIGKILL");
    expect(await c.redis.exists(c.keys.worker("same"))).toBe(1);
    const killedAt = Date.now();
    const third = await c.startWorker("quadratic.mjs", { id: "same" });
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect(parseWorkerAnnouncement(await c.redis.get(c.keys.worker("same")))?.pid).toBe(third.pid);
    const coordinator = c.startCoordinator({ study: "after-restart", trials: 3, args: ["--sampler", "random"] });
    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(0);
    const trials = await c.expectExactBudget("after-restart", 3);
    expect(trials.every((t) => t.systemAttrs.worker === "same")).toBe(true);
    await c.stopWorkers();
    expect(await c.redis.exists(c.keys.worker("same"))).toBe(0);
  });

  it("a worker restarted after its predecessor's announcement expired starts at once", async () => {
    const c = await env.cluster();
    const first = await c.startWorker("quadratic.mjs", { id: "again" });
    await first.kill("SIGKILL");
    await c.waitFor("the dead worker's announcement to expire", async () => (await c.redis.exists(c.keys.worker("again"))) === 0, 15_000);
    const startedAt = Date.now();
    const second = await c.startWorker("quadratic.mjs", { id: "again" });
    expect(second.output).not.toMatch(/is taken/);
    expect(parseWorkerAnnouncement(await c.redis.get(c.keys.worker("again")))?.pid).toBe(second.pid);
    // No wait for anything: a start takes a second or two here (loading the objective in its thread).
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    await c.stopWorkers();
  });
});
