import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { TrialState } from "@shoal/core";
import { runShoal } from "@shoal/testing/cli";
import { useCluster } from "@shoal/testing/cluster";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const env = useCluster();

const OOM_64 = "ThreadCrashedError('The trial thread ran out of memory (heap limit 64 MB; raise it with --trial-memory MB, or the trialMemoryMb option)')";
const EXITED =
  "ThreadCrashedError('The trial thread exited with code 3: the objective (or a module it uses) called process.exit(); return a value or throw instead')";

describe("objectives that misbehave on the cluster", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "shoal-objective-faults-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("throw, NaN, a hang past --trial-timeout, out of memory, process.exit: each FAILs with its reason, the rest COMPLETE once, on one worker that lives on", async () => {
    const c = await env.cluster();
    const ledger = path.join(dir, "ledger");
    const worker = await c.startWorker("objective-faults.mjs", {
      id: "w",
      concurrency: 2,
      args: ["--trial-timeout", "2", "--trial-memory", "64"],
      env: { SHOAL_TEST_FAULTS: "1:throw,2:nan,3:hang,4:oom,5:exit", SHOAL_TEST_LEDGER: ledger },
    });
    const coordinator = c.startCoordinator({ study: "faults", objective: "objective-faults.mjs", trials: 12, args: ["--sampler", "random"] });
    expect((await coordinator.waitForExit(90_000)).code, coordinator.describe()).toBe(0);

    const trials = await c.expectExactBudget("faults", 12);
    const expected = Array.from({ length: 12 }, (_, n) => (n >= 1 && n <= 5 ? TrialState.FAIL : TrialState.COMPLETE));
    expect(trials.map((t) => t.state)).toEqual(expected);
    const reasons = trials.slice(1, 6).map((t) => String(t.systemAttrs.failReason));
    expect(reasons[0]).toBe("RangeError('boom in trial 1')");
    expect(reasons[1]).toMatch(/^The objective returned nan, which is not a finite number/);
    expect(reasons[2]).toBe("TrialTimeoutError('The trial ran past its time limit of 2 s (--trial-timeout) and its thread was stopped')");
    expect(reasons[3]).toBe(OOM_64);
    expect(reasons[4]).toBe(EXITED);
    // One worker ran every trial and is still the same process: no crash, no restart, no stall.
    expect(trials.every((t) => t.systemAttrs.worker === "w")).toBe(true);
    expect(worker.running, worker.describe()).toBe(true);
    expect(worker.output).not.toMatch(/stalled|Worker \S+ started[\s\S]*Worker \S+ started/);
    // Each complete trial's objective finished exactly once; no failed one reached the end.
    const finished = (await readFile(ledger, "utf8")).trim().split("\n").map(Number).sort((a, b) => a - b);
    expect(finished).toEqual([0, 6, 7, 8, 9, 10, 11]);
    expect(coordinator.stdout).toMatch(/12 trials: 7 complete, 0 pruned, 5 failed\./);
    for (const [i, reason] of reasons.entries()) expect(coordinator.stderr).toContain(`because of the following error: ${reason}.`);

    // shoal report finds the study through $SHOAL_REDIS_URL, as status and trials do.
    const out = path.join(dir, "report");
    const report = await runShoal(["report", "--study", "faults", "--prefix", c.prefix, "--out", out], { env: { SHOAL_REDIS_URL: c.url, REDIS_URL: "" } });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('Wrote the report of study "faults" (12 trials)');
    expect(existsSync(path.join(out, "report.html"))).toBe(true);
    await c.stopWorkers();
  });

  it("a study whose every trial fails: the coordinator exits 1 naming the most common failure; the worker lives on", async () => {
    const c = await env.cluster();
    const worker = await c.startWorker("objective-faults.mjs", {
      id: "w",
      concurrency: 2,
      args: ["--trial-memory", "64"],
      env: { SHOAL_TEST_FAULTS: "*:oom" },
    });
    const coordinator = c.startCoordinator({ study: "all-fail", objective: "objective-faults.mjs", trials: 4, args: ["--sampler", "random"] });
    expect((await coordinator.waitForExit(90_000)).code, coordinator.describe()).toBe(1);
    const trials = await c.expectExactBudget("all-fail", 4);
    expect(trials.map((t) => [t.state, t.systemAttrs.failReason])).toEqual(Array(4).fill([TrialState.FAIL, OOM_64]));
    expect(coordinator.stdout).toContain("4 trials: 0 complete, 0 pruned, 4 failed.");
    expect(coordinator.stderr).toContain(
      `shoal: no trial of study "all-fail" completed, so it has no best trial: 4 trials: 0 pruned, 4 failed; the most common failure (4 of 4): ${OOM_64}\n`,
    );
    expect(worker.running, worker.describe()).toBe(true);
    await c.stopWorkers();
  });
});
