import { TrialState } from "@shoal/core";
import { listWorkers, trialJobId } from "@shoal/redis";
import { FAST_STALLS, loggedTrialNumbers, useCluster, type Cluster, type ShoalProcess } from "@shoal/testing/cluster";
import { afterEach, describe, expect, it } from "vitest";

// Issue 18: SIGTERM obeyed while Redis is unreachable. Every test here stops the file's own
// redis-server (down) and starts it again (up) before the next one.
const env = useCluster();

afterEach(async () => {
  await env.server().up();
});

/** Sends SIGTERM and waits for the exit: the code and how long it took. */
async function terminate(p: ShoalProcess, timeoutMs = 30_000): Promise<{ code: number | null; ms: number }> {
  const sentAt = Date.now();
  await p.kill("SIGTERM");
  const { code } = await p.waitForExit(timeoutMs);
  const ms = Date.now() - sentAt;
  if (process.env.SHOAL_TEST_TIMINGS) process.stdout.write(`${p.name}: SIGTERM -> exit ${code} in ${ms} ms\n`);
  return { code, ms };
}

/** Stops Redis and waits until the process has seen the outage (its one "unreachable" line). */
async function redisDownSeenBy(...processes: ShoalProcess[]): Promise<void> {
  await env.server().down();
  for (const p of processes) await p.waitForOutput(/Redis at \S+ unreachable, retrying/, 15_000);
}

/**
 * Waits until the worker's announcement says its slot is busy, and has said so for longer than
 * the coordinator takes to read it (every 500 ms while it enqueues): the coordinator knows then
 * that a worker runs a trial, which it cannot ask once Redis is down.
 */
async function busyAnnounced(c: Cluster, workerId: string): Promise<void> {
  let since: number | null = null;
  await c.waitFor(`worker ${workerId} to announce a busy slot for 2 s`, async () => {
    const w = (await listWorkers(c.redis, c.keys)).find((a) => a.id === workerId);
    if (!w || w.free !== 0) since = null;
    else since ??= Date.now();
    return since !== null && Date.now() - since >= 2000;
  });
}

/** The trial of `study` that `workerId` runs, once its job is taken. */
function runningOn(c: Cluster, study: string, workerId: string) {
  return c.waitFor(`a trial of ${study} running on ${workerId}`, async () =>
    (await c.trials(study)).find((t) => t.state === TrialState.RUNNING && t.systemAttrs.worker === workerId),
  );
}

describe("SIGTERM while Redis is unreachable", () => {
  it("a coordinator no worker runs a trial for exits at once with 143 and one line; its queued trials are resumed", async () => {
    const c = await env.cluster();
    const coordinator = c.startCoordinator({ study: "idle", trials: 3, args: ["--sampler", "random"] });
    await c.waitFor("the queued trials", async () => (await c.trials("idle")).filter((t) => t.state === TrialState.RUNNING).length === 2);
    await redisDownSeenBy(coordinator);

    const { code, ms } = await terminate(coordinator);
    expect(code, coordinator.describe()).toBe(143);
    expect(ms, coordinator.describe()).toBeLessThan(1500);
    const lines = coordinator.stderr.split("\n").filter((l) => /exiting now/.test(l));
    expect(lines, coordinator.describe()).toHaveLength(1);
    expect(lines[0]).toMatch(
      /Interrupted while Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable and no worker runs a trial of study "idle": exiting now; 2 trials left for recovery/,
    );
    expect(coordinator.stdout).not.toMatch(/Best trial/); // no summary: the study is not over

    // Nothing lost: with Redis back, a new coordinator (once the old lease ran out) and a worker finish it.
    await env.server().up();
    const resumed = c.startCoordinator({ study: "idle", trials: 3, args: ["--sampler", "random"] });
    await c.startWorker("quadratic.mjs", { id: "late" });
    expect((await resumed.waitForExit(60_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("idle", 3);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    expect(loggedTrialNumbers(resumed.stderr).sort()).toEqual([0, 1, 2]);
    await c.stopWorkers();
  });

  it("a coordinator whose worker runs a trial waits --shutdown-grace, exits 143 saying what it left; a new one finishes the study", async () => {
    const c = await env.cluster();
    const long = await c.startWorker("quadratic.mjs", { id: "long", args: FAST_STALLS, env: { SHOAL_TEST_SLEEP_MS: "120000" } });
    const coordinator = c.startCoordinator({ study: "busy", trials: 3, args: ["--sampler", "random", "--shutdown-grace", "2"] });
    const running = await runningOn(c, "busy", "long");
    await busyAnnounced(c, "long");
    await redisDownSeenBy(coordinator);

    const { code, ms } = await terminate(coordinator);
    expect(code, coordinator.describe()).toBe(143);
    expect(ms, coordinator.describe()).toBeGreaterThanOrEqual(2000);
    expect(ms, coordinator.describe()).toBeLessThan(3500);
    const lines = coordinator.stderr.split("\n").filter((l) => /left for recovery/.test(l));
    expect(lines, coordinator.describe()).toHaveLength(1);
    // Its RUNNING trials: the one on the worker and the queued ones it could not take back.
    expect(lines[0]).toMatch(
      /Shutdown grace \(--shutdown-grace 2 s\) ran out with Redis at \S+ unreachable: exiting with 3 trials of study "busy" still RUNNING, left for recovery/,
    );

    // Redis back: the worker on the long trial dies; a new one takes it back (its lock ran out) and a
    // new coordinator, once the old one's lease ran out, records every trial once.
    await env.server().up();
    await long.kill("SIGKILL");
    const resumed = c.startCoordinator({ study: "busy", trials: 3, args: ["--sampler", "random"] });
    await c.startWorker("quadratic.mjs", { id: "fresh", args: FAST_STALLS });
    expect((await resumed.waitForExit(60_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("busy", 3);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    expect(trials[running.number]!.systemAttrs.worker).toBe("fresh");
    expect(loggedTrialNumbers(resumed.stderr).sort()).toEqual([0, 1, 2]);
    await c.stopWorkers();
  });

  it("an idle worker exits at once with 143 and one line", async () => {
    const c = await env.cluster();
    const worker = await c.startWorker("quadratic.mjs", { id: "idle" });
    await redisDownSeenBy(worker);

    const { code, ms } = await terminate(worker);
    expect(code, worker.describe()).toBe(143);
    expect(ms, worker.describe()).toBeLessThan(1500);
    expect(worker.stderr).toMatch(/Worker idle stopped at once: Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable and it held no trial\./);
    expect(worker.stderr).not.toMatch(/Worker idle stopped\./); // not the graceful line as well
  });

  it("a worker running a trial exits after --shutdown-grace with 143; the trial comes back by stalled-job recovery, recorded once", async () => {
    const c = await env.cluster();
    const leaving = await c.startWorker("quadratic.mjs", {
      id: "leaving",
      args: [...FAST_STALLS, "--shutdown-grace", "2"],
      env: { SHOAL_TEST_SLEEP_MS: "120000" },
    });
    const coordinator = c.startCoordinator({ study: "handoff", trials: 3, args: ["--sampler", "random"] });
    const running = await runningOn(c, "handoff", "leaving");
    await redisDownSeenBy(leaving, coordinator);

    const { code, ms } = await terminate(leaving);
    expect(code, leaving.describe()).toBe(143);
    expect(ms, leaving.describe()).toBeGreaterThanOrEqual(2000);
    expect(ms, leaving.describe()).toBeLessThan(3500);
    const lines = leaving.stderr.split("\n").filter((l) => /left for recovery/.test(l));
    expect(lines, leaving.describe()).toEqual([
      expect.stringMatching(
        /Worker leaving stopped after its shutdown grace \(--shutdown-grace 2 s\) with Redis at \S+ unreachable: 1 trial left for recovery/,
      ),
    ]);

    // Redis back: the coordinator lived through the outage; a new worker takes the trial back.
    await env.server().up();
    await c.startWorker("quadratic.mjs", { id: "fresh", args: FAST_STALLS });
    expect((await coordinator.waitForExit(60_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("handoff", 3);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    expect(trials[running.number]!.systemAttrs.worker).toBe("fresh");
    const logged = loggedTrialNumbers(coordinator.stderr);
    expect(logged.sort()).toEqual([0, 1, 2]);
    // Taken back once from the worker that left (its lock ran out), so one stall on its job.
    expect((await c.queue().getJob(trialJobId("handoff", running.number)))?.stalledCounter).toBe(1);
    expect(c.processes.find((p) => p.name === "worker fresh")?.stderr).toMatch(
      new RegExp(`Trial ${running.number} of study "handoff" was taken back from worker leaving`),
    );
    await c.stopWorkers();
  });
});

describe("SIGTERM with Redis reachable", () => {
  it("a coordinator waits for its running trial at most --shutdown-grace, gives its lease back and exits 143; a new one resumes at once", async () => {
    const c = await env.cluster();
    const long = await c.startWorker("quadratic.mjs", { id: "long", env: { SHOAL_TEST_SLEEP_MS: "120000" } });
    const coordinator = c.startCoordinator({ study: "graceful", trials: 3, args: ["--sampler", "random", "--shutdown-grace", "2"] });
    await runningOn(c, "graceful", "long");

    const { code, ms } = await terminate(coordinator);
    expect(code, coordinator.describe()).toBe(143);
    expect(ms, coordinator.describe()).toBeGreaterThanOrEqual(2000);
    expect(ms, coordinator.describe()).toBeLessThan(4500);
    // Graceful as before: the queued trials were taken back (WAITING), only the started one is left.
    expect(coordinator.stderr).toMatch(/was queued but not started when the study stopped/);
    expect(coordinator.stderr).toMatch(
      /Shutdown grace \(--shutdown-grace 2 s\) ran out: exiting with 1 trial of study "graceful" still RUNNING, left for recovery/,
    );
    expect(await c.redis.exists(c.keys.lease("graceful"))).toBe(0);

    // The worker puts its trial back at once on SIGTERM (Redis is there); a fresh one runs it all.
    expect((await terminate(long)).code, long.describe()).toBe(0);
    expect(long.stderr).toMatch(/Worker long stopped\./);
    const resumed = c.startCoordinator({ study: "graceful", trials: 3, args: ["--sampler", "random", "--lease-wait", "0"] });
    await c.startWorker("quadratic.mjs", { id: "fresh" });
    expect((await resumed.waitForExit(60_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("graceful", 3);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    expect(loggedTrialNumbers(resumed.stderr).sort()).toEqual([0, 1, 2]);
    await c.stopWorkers();
  });
});
