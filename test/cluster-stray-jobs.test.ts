import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { TrialState } from "@shoal/core";
import { createStudy, RedisStorage, trialJobId, type TrialJob } from "@shoal/redis";
import { loggedTrialNumbers, useCluster, type Cluster, type ShoalProcess } from "@shoal/testing/cluster";
import type { Queue } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const env = useCluster();

let dir: string;
let ledger: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "shoal-stray-"));
  ledger = path.join(dir, "ledger");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The trial numbers the ledger.mjs objective ran, in order (one line per run). */
function ran(): number[] {
  try {
    return readFileSync(ledger, "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function job(study: string, number: number): TrialJob {
  return {
    v: 1, study, number, objective: null, params: { x: 1, y: 1 },
    distributions: {
      x: { kind: "float", low: -10, high: 10, step: null, log: false },
      y: { kind: "float", low: -10, high: 10, step: null, log: false },
    },
    fixedParams: {}, seed: 1, direction: "minimize",
  };
}

/** Waits for a job to be failed, and returns its failedReason. */
async function failedReason(c: Cluster, queue: Queue, id: string, timeoutMs = 30_000): Promise<string> {
  return c.waitFor(`job ${id} to fail`, async () => {
    const j = await queue.getJob(id);
    return j && (await j.getState()) === "failed" ? j.failedReason : null;
  }, timeoutMs);
}

/** The worker's lines that refuse job `id`. */
function refusals(worker: ShoalProcess, id: string): string[] {
  return worker.stderr.split("\n").filter((l) => l.includes(`Job ${id} refused: `));
}

describe("stray trial jobs (issue 18)", () => {
  it("a replayed job of a COMPLETE trial, or one of a trial never created, is refused in one line and failed; the objective does not run", async () => {
    const c = await env.cluster();
    const worker = await c.startWorker("ledger.mjs", { id: "w", env: { SHOAL_TEST_LEDGER: ledger } });
    const coordinator = c.startCoordinator({ study: "done", objective: "ledger.mjs", trials: 3, args: ["--sampler", "random"] });
    expect((await coordinator.waitForExit(60_000)).code, coordinator.describe()).toBe(0);
    const before = await c.expectExactBudget("done", 3);
    expect(ran().sort()).toEqual([0, 1, 2]);

    const queue = c.queue();
    const original = await queue.getJob(trialJobId("done", 1));
    expect(original?.data.number).toBe(1);
    // The same payload under another id, allowed three attempts: refused once, never retried.
    await queue.add("trial", original!.data, { jobId: "done.1-replay", attempts: 3 });
    expect(await failedReason(c, queue, "done.1-replay")).toMatch(
      /^Stray job: trial 1 of study "done" is already COMPLETE \(this job replays or copies the trial's job\), so it was not run; the recorded result stands\./,
    );
    // Under the trial's own id, once BullMQ has removed the finished job.
    const second = await queue.getJob(trialJobId("done", 2));
    await second!.remove();
    await queue.add("trial", second!.data, { jobId: trialJobId("done", 2) });
    expect(await failedReason(c, queue, "done.2")).toMatch(/^Stray job: trial 2 of study "done" is already COMPLETE/);
    // A trial number the study never created.
    await queue.add("trial", job("done", 7), { jobId: trialJobId("done", 7) });
    expect(await failedReason(c, queue, "done.7")).toBe(
      'Stray job: study "done" has no trial 7 (it has created 3 trial(s), 0 to 2), so it was not run. Was the job written by hand, or for another study of that name? Remove it.',
    );

    expect((await queue.getJob("done.1-replay"))?.attemptsMade).toBe(1);
    for (const id of ["done.1-replay", "done.2", "done.7"]) expect(refusals(worker, id), worker.describe()).toHaveLength(1);
    expect(refusals(worker, "done.1-replay")[0]).toContain('Job done.1-replay refused: Stray job: trial 1 of study "done" is already COMPLETE');
    expect(ran().sort(), "the objective ran no trial again").toEqual([0, 1, 2]);
    expect(await c.trials("done")).toEqual(before);
    expect(await c.redis.exists(c.keys.trial("done", 7))).toBe(0);
    expect(worker.stderr).not.toMatch(/study_missing|is missing or incomplete/);
    expect(worker.running).toBe(true);
    await c.stopWorkers();
  });

  it("a job of a study that was never in Redis is refused at once, not after the data-loss wait", async () => {
    const c = await env.cluster();
    // The default --lost-study-wait (60 s): a refusal within seconds shows the job did not wait.
    const worker = await c.startWorker("ledger.mjs", { id: "w", env: { SHOAL_TEST_LEDGER: ledger } });
    const queue = c.queue();
    const startedAt = Date.now();
    await queue.add("trial", job("ghost", 0), { jobId: trialJobId("ghost", 0), attempts: 3 });
    expect(await failedReason(c, queue, "ghost.0", 15_000)).toBe(
      `Stray job: there is no study "ghost" in Redis under the prefix "${c.prefix}" (it was never created, or was deleted), ` +
        "so trial 0 was not run. Check the prefix the job was written under, or remove the job.",
    );
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    expect(refusals(worker, "ghost.0")).toHaveLength(1);
    expect(worker.stderr).not.toMatch(/is missing or incomplete in Redis/);
    expect(ran()).toEqual([]);
    expect((await queue.getJob("ghost.0"))?.attemptsMade).toBe(1);
    await c.stopWorkers();
  });

  it("after Redis lost its data, a job of the vanished study waits for it to be restored and runs; one never restored is refused after --lost-study-wait", async () => {
    const c = await env.cluster();
    const worker = await c.startWorker("ledger.mjs", { id: "w", args: ["--lost-study-wait", "5000"], env: { SHOAL_TEST_LEDGER: ledger } });
    await c.redis.flushall(); // this file's own server: the worker's announcement goes with the rest
    const queue = c.queue();
    await queue.add("trial", job("lost", 0), { jobId: trialJobId("lost", 0) });
    await queue.add("trial", job("gone", 0), { jobId: trialJobId("gone", 0) });
    await worker.waitForOutput(/Study "lost" is missing or incomplete in Redis/);
    await worker.waitForOutput(/Study "gone" is missing or incomplete in Redis/);
    expect(ran()).toEqual([]);

    // Its coordinator writes the study back (here by hand, with the storage a coordinator uses).
    const study = await createStudy({ storage: c.url, prefix: c.prefix, studyName: "lost", direction: "minimize" });
    expect(study.ask().number).toBe(0);
    await (study.storage as RedisStorage).close();
    await c.waitFor("the restored study's job to complete", async () => (await queue.getJob("lost.0"))?.returnvalue?.state === TrialState.COMPLETE);
    expect(worker.stderr).toMatch(/Study "lost" is back in Redis after \d+\.\d s: its jobs run again\./);
    expect(ran()).toEqual([0]);

    expect(await failedReason(c, queue, "gone.0", 20_000)).toMatch(
      /^Study "gone" has been missing or incomplete in Redis for [56] s: no coordinator restored it .*so trial 0 was not run\. Start its coordinator, or remove its jobs\.$/,
    );
    expect(refusals(worker, "gone.0")).toHaveLength(1);
    expect(ran()).toEqual([0]);
    expect(worker.running).toBe(true);
    await c.stopWorkers();
  });

  it("a study Redis lost mid-run (FLUSHALL) is restored by its coordinator, and its workers finish it with its exact budget", async () => {
    const c = await env.cluster();
    const workers = await Promise.all(
      // Trials of 200 ms on two slots: the study is far from done when Redis loses it.
      ["a", "b"].map((id) => c.startWorker("ledger.mjs", { id, env: { SHOAL_TEST_LEDGER: ledger, SHOAL_TEST_SLEEP_MS: "200" } })),
    );
    const coordinator = c.startCoordinator({ study: "flushed", objective: "ledger.mjs", trials: 30, args: ["--sampler", "random"] });
    await c.waitFor("5 finished trials", async () => (await c.finished("flushed")).length >= 5);
    await c.redis.flushall();
    await coordinator.waitForOutput(/Study "flushed" vanished from Redis .* restored/, 20_000);
    expect((await coordinator.waitForExit(90_000)).code, c.describe()).toBe(0);
    const trials = await c.expectExactBudget("flushed", 30);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    expect(new Set(loggedTrialNumbers(coordinator.stderr)).size).toBe(30);
    // Each worker saw the loss (its own announcement vanished), and took no job of the lost study for stray.
    for (const w of workers) {
      await w.waitForOutput(/Worker [ab]: its announcement (had|has) vanished from Redis/);
      expect(w.stderr, w.describe()).not.toMatch(/Stray job|refused/);
    }
    await c.stopWorkers();
  });
});
