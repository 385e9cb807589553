import { TrialState } from "@shoal/core";
import { trialJobId } from "@shoal/redis";
import { FAST_STALLS, loggedTrialNumbers, useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();

describe("a worker that dies or stops mid-trial", () => {
  it("SIGKILL: its trial runs again on another worker, and the study ends with its exact budget", async () => {
    const c = await env.cluster();
    // The victim's trials are long, so that it is surely still in one when it is killed.
    const [victim, survivor] = await Promise.all([
      c.startWorker("quadratic.mjs", { id: "victim", args: FAST_STALLS, env: { SHOAL_TEST_SLEEP_MS: "10000" } }),
      c.startWorker("quadratic.mjs", { id: "survivor", args: FAST_STALLS, env: { SHOAL_TEST_SLEEP_MS: "300" } }),
    ]);
    const coordinator = c.startCoordinator({ study: "sigkill", trials: 6, args: ["--sampler", "random"] });

    const orphan = await c.waitFor("a trial running on the victim", async () =>
      (await c.trials("sigkill")).find((t) => t.state === TrialState.RUNNING && t.systemAttrs.worker === "victim"),
    );
    await victim!.kill("SIGKILL");
    // Lock 2 s, stall check every 1 s: back on the survivor well within 15 s.
    await c.waitFor(
      `trial ${orphan.number} to restart on the survivor`,
      async () => (await c.trials("sigkill")).find((t) => t.number === orphan.number && t.systemAttrs.worker === "survivor"),
      15_000,
    );

    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(0);
    const trials = await c.expectExactBudget("sigkill", 6);
    const rerun = trials[orphan.number]!;
    expect(rerun.state).toBe(TrialState.COMPLETE);
    expect(rerun.systemAttrs.worker).toBe("survivor");
    expect(loggedTrialNumbers(coordinator.stderr).sort((a, b) => a - b)).toEqual([...Array(6).keys()]);
    // The take-back is logged once, by the worker that ran the trial again, naming the dead worker.
    const takeBacks = c.processes.flatMap((p) => p.stderr.split("\n")).filter((l) => /was taken back from worker/.test(l));
    expect(takeBacks, c.describe()).toHaveLength(1);
    expect(survivor.stderr).toContain(
      `Trial ${orphan.number} of study "sigkill" was taken back from worker victim (it died, or stopped renewing its lock for --lock-duration) ` +
        `and runs again on worker survivor (taken back 1 time(s); --max-stalled 2).`,
    );
    await c.stopWorkers();
  });

  it("a trial whose worker keeps dying FAILs with the reason after --max-stalled take-backs; the study goes on", async () => {
    const c = await env.cluster();
    const workers = c.superviseWorkers(2, "kill-self.mjs", {
      base: "mortal",
      args: [...FAST_STALLS, "--max-stalled", "1"],
      env: { SHOAL_TEST_KILL_TRIALS: "2", SHOAL_TEST_SLEEP_MS: "100" },
    });
    const coordinator = c.startCoordinator({ study: "doomed", objective: "kill-self.mjs", trials: 10, args: ["--sampler", "random"] });
    expect((await coordinator.waitForExit(90_000)).code, coordinator.describe()).toBe(0);
    workers.stop();

    const trials = await c.expectExactBudget("doomed", 10);
    const doomed = trials[2]!;
    expect(doomed.state).toBe(TrialState.FAIL);
    expect(doomed.systemAttrs.failReason).toMatch(/^its worker died or stopped renewing its lock more often than the workers. --max-stalled allows \(job stalled more than allowable limit\)$/);
    expect(trials.filter((t) => t.state === TrialState.COMPLETE)).toHaveLength(9);
    expect(coordinator.stderr).toMatch(/Trial 2 failed with parameters: .* because of the following error: .*stalled/);
    // Taken back once (--max-stalled 1), so two workers died on it.
    expect(workers.started.filter((w) => w.exitSignal === "SIGKILL")).toHaveLength(2);
    // Each take-back logged once, naming the worker that died on it: the first by the worker that ran
    // it again, the second (past --max-stalled 1) by the worker that failed its job.
    const takeBacks = workers.started.flatMap((w) => w.stderr.split("\n")).filter((l) => /was taken back from worker/.test(l));
    expect(takeBacks, c.describe()).toHaveLength(2);
    const [first, last] = [1, 2].map((n) => takeBacks.find((l) => l.includes(`taken back ${n} time(s)`)) ?? "");
    const [, firstVictim, rerunBy] = /Trial 2 of study "doomed" was taken back from worker (mortal-\d+) .* and runs again on worker (mortal-\d+) \(taken back 1 time\(s\); --max-stalled 1\)\./.exec(first!) ?? [];
    expect(firstVictim, takeBacks.join("\n")).toBeDefined();
    // The worker that ran it again died on it in turn: the last take-back names it.
    expect(last).toContain(`Trial 2 of study "doomed" was taken back from worker ${rerunBy} (it died, or stopped renewing its lock for --lock-duration) once more than --max-stalled allows (taken back 2 time(s)): it FAILs, and is not run again.`);
    expect(workers.started.flatMap((w) => w.stderr.split("\n")).filter((l) => /refused: job stalled/.test(l))).toEqual([]);
    const job = await c.queue().getJob(trialJobId("doomed", 2));
    expect(await job?.getState()).toBe("failed");
    await c.stopWorkers();
  });

  it("SIGTERM: the worker puts its trial back in the queue at once, without using an attempt, and exits", async () => {
    const c = await env.cluster();
    // Locks far longer than the test: only the worker's own hand-back can bring the trial back quickly.
    const slowLocks = ["--lock-duration", "120000", "--stalled-interval", "120000"];
    const [leaving] = await Promise.all([
      c.startWorker("quadratic.mjs", { id: "leaving", args: slowLocks, env: { SHOAL_TEST_SLEEP_MS: "10000" } }),
      c.startWorker("quadratic.mjs", { id: "staying", args: slowLocks, env: { SHOAL_TEST_SLEEP_MS: "300" } }),
    ]);
    const coordinator = c.startCoordinator({ study: "sigterm", trials: 4, args: ["--sampler", "random"] });

    const handed = await c.waitFor("a trial running on the leaving worker", async () =>
      (await c.trials("sigterm")).find((t) => t.state === TrialState.RUNNING && t.systemAttrs.worker === "leaving"),
    );
    await leaving!.kill("SIGTERM");
    expect((await leaving!.waitForExit(15_000)).code, leaving!.describe()).toBe(0);
    expect(leaving!.output).toMatch(/Worker leaving stopped/);
    await c.waitFor(
      `trial ${handed.number} to run on the staying worker`,
      async () => (await c.trials("sigterm")).find((t) => t.number === handed.number && t.systemAttrs.worker === "staying"),
      30_000,
    );

    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(0);
    const trials = await c.expectExactBudget("sigterm", 4);
    expect(trials[handed.number]!.state).toBe(TrialState.COMPLETE);
    expect(trials[handed.number]!.systemAttrs.worker).toBe("staying");
    // Put back by its worker, not taken back from a dead one: no take-back line.
    expect(c.processes.some((p) => /was taken back from worker/.test(p.stderr))).toBe(false);
    const job = await c.queue().getJob(trialJobId("sigterm", handed.number));
    // Started twice, but only the run that finished counts as an attempt (BullMQ counts it on completion).
    expect(job?.attemptsStarted).toBe(2);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.stalledCounter).toBe(0);
    expect(await c.redis.exists(c.keys.worker("leaving"))).toBe(0);
    await c.stopWorkers();
  });
});
