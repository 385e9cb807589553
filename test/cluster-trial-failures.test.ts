import { TrialState } from "@shoal/core";
import { trialJobId, type TrialJob } from "@shoal/redis";
import { waitFor } from "@shoal/testing";
import { useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";

const env = useCluster();

describe("failing trials and bad jobs on the cluster", () => {
  it("an objective that throws, returns NaN or runs past --trial-timeout: FAIL with the reason stored and shown; the study goes on", async () => {
    const c = await env.cluster();
    await c.startWorker("faulty.mjs", { id: "w", concurrency: 2, args: ["--trial-timeout", "1"] });
    const coordinator = c.startCoordinator({ study: "faults", objective: "faulty.mjs", trials: 8, args: ["--sampler", "random"] });
    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(0);

    const trials = await c.expectExactBudget("faults", 8);
    expect(trials.map((t) => t.state)).toEqual(["COMPLETE", "FAIL", "FAIL", "FAIL", "COMPLETE", "COMPLETE", "COMPLETE", "COMPLETE"]);
    const reasons = trials.slice(1, 4).map((t) => String(t.systemAttrs.failReason));
    expect(reasons[0]).toMatch(/RangeError.*boom in trial 1/);
    expect(reasons[1]).toMatch(/The objective returned nan, which is not a finite number/);
    expect(reasons[2]).toMatch(/TrialTimeoutError.*1 s/);
    // Each failed trial's worker and params are kept.
    for (const t of trials.slice(1, 4)) {
      expect(t.systemAttrs.worker).toBe("w");
      expect(Object.keys(t.params)).toEqual(["x"]);
    }
    // The coordinator's log shows each reason, in Optuna's words.
    for (const [i, reason] of reasons.entries()) {
      expect(coordinator.stderr).toContain(`Trial ${i + 1} failed with parameters: {'x': `);
      expect(coordinator.stderr).toContain(`because of the following error: ${reason}.`);
    }
    expect(coordinator.stdout).toMatch(/8 trials: 5 complete, 0 pruned, 3 failed\./);
    // So does `shoal trials`.
    const json = await c.shoal(["trials", ...c.target, "--study", "faults", "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const listed = JSON.parse(json.stdout) as Array<{ number: number; state: string; systemAttrs?: Record<string, unknown> }>;
    expect(listed.filter((t) => t.state === "FAIL").map((t) => [t.number, t.systemAttrs?.failReason])).toEqual(
      reasons.map((r, i) => [i + 1, r]),
    );
    await c.stopWorkers();
  });

  it("a hand-pushed malformed job fails with an error naming the bad field; the worker keeps running and the study completes", async () => {
    const c = await env.cluster();
    const worker = await c.startWorker("quadratic.mjs", { id: "w" });
    const queue = c.queue();
    const garbage = await queue.add("trial", { v: 1, study: "bad", number: "seven", params: 42 }, { jobId: "garbage-1" });
    const notJson = await queue.add("trial", "just a string", { jobId: "garbage-2" });

    const failedReason = async (id: string) => {
      const job = await queue.getJob(id);
      return job && (await job.getState()) === "failed" ? job.failedReason : null;
    };
    const reason1 = await waitFor("the garbage job to fail", () => failedReason(garbage.id!), { context: () => c.describe() });
    expect(reason1).toMatch(/^Malformed trial job garbage-1 in Redis: field "number": /);
    const reason2 = await waitFor("the string job to fail", () => failedReason(notJson.id!), { context: () => c.describe() });
    expect(reason2).toMatch(/^Malformed trial job garbage-2 in Redis: /);
    // Refused for good: not retried, and the worker logged it and kept going.
    expect((await queue.getJob(garbage.id!))?.attemptsMade).toBe(1);
    expect(worker.running).toBe(true);
    expect(worker.output).toMatch(/Job garbage-1 refused: Malformed trial job garbage-1 in Redis: field "number"/);

    const coordinator = c.startCoordinator({ study: "after-garbage", trials: 6, args: ["--sampler", "random"] });
    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(0);
    const trials = await c.expectExactBudget("after-garbage", 6);
    expect(trials.every((t) => t.state === TrialState.COMPLETE && t.systemAttrs.worker === "w")).toBe(true);
    await c.stopWorkers();
  });

  it("a job for another objective is refused, not run", async () => {
    const c = await env.cluster();
    const worker = await c.startWorker("quadratic.mjs", { id: "w" });
    const queue = c.queue();
    const job: TrialJob = {
      v: 1, study: "alien", number: 0, objective: "other.mjs@0123456789", params: { x: 1 },
      distributions: { x: { kind: "float", low: 0, high: 2, step: null, log: false } }, fixedParams: {}, seed: 0, direction: "minimize",
    };
    await c.redis.hset(c.keys.trial("alien", 0), { number: "0", state: "RUNNING", params: "{}", distributions: "{}" });
    const added = await queue.add("trial", job, { jobId: trialJobId("alien", 0) });
    const reason = await waitFor("the job to be refused", async () => {
      const j = await queue.getJob(added.id!);
      return j && (await j.getState()) === "failed" ? j.failedReason : null;
    }, { context: () => c.describe() });
    expect(reason).toContain("is for the objective other.mjs@0123456789, but this worker runs quadratic.mjs@");
    // Not run: the worker never marked the trial as started.
    expect(await c.redis.hget(c.keys.trial("alien", 0), "worker")).toBeNull();
    expect(worker.running).toBe(true);

    // And when a coordinator stamps its jobs for another objective, its trials FAIL with that reason,
    // and the coordinator exits 1: no trial completed.
    const coordinator = c.startCoordinator({ study: "mismatch", objective: "faulty.mjs", trials: 2, args: ["--sampler", "random"] });
    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(1);
    expect(coordinator.stderr).toMatch(/shoal: no trial of study "mismatch" completed, so it has no best trial: 2 trials: 0 pruned, 2 failed; the most common failure \(1 of 2\): /);
    const trials = await c.expectExactBudget("mismatch", 2);
    for (const t of trials) {
      expect(t.state).toBe(TrialState.FAIL);
      expect(t.systemAttrs.failReason).toMatch(/is for the objective faulty\.mjs@\w+, but this worker runs quadratic\.mjs@/);
      expect(t.systemAttrs.worker).toBeUndefined();
    }
    await c.stopWorkers();
  });
});
