import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixture } from "@shoal/testing";
import { runShoal } from "@shoal/testing/cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const objective = fixture("objective-faults.mjs");
const failures = (stderr: string) => [...stderr.matchAll(/\] Trial (\d+) failed with parameters: .* because of the following error: (.*)\.$/gm)].map((m) => [Number(m[1]), m[2]]);

// No Redis in this file: every run is embedded, whatever the machine's environment says.
const embedded = (args: string[], faults: string) =>
  runShoal(["optimize", objective, "--no-progress", "--sampler", "random", ...args], { env: { SHOAL_TEST_FAULTS: faults, SHOAL_REDIS_URL: "" } });

describe("shoal optimize (embedded) when objectives misbehave", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "shoal-cli-faults-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("a trial past --trial-memory, one that calls process.exit and one past --trial-timeout FAIL with their reasons; the study goes on and exits 0", async () => {
    const res = await embedded(["--trials", "6", "--trial-memory", "64", "--trial-timeout", "1"], "1:oom,3:exit,4:hang");
    expect(res.code, res.stderr).toBe(0);
    expect(failures(res.stderr)).toEqual([
      [1, "ThreadCrashedError('The trial thread ran out of memory (heap limit 64 MB; raise it with --trial-memory MB, or the trialMemoryMb option)')"],
      [3, "ThreadCrashedError('The trial thread exited with code 3: the objective (or a module it uses) called process.exit(); return a value or throw instead')"],
      [4, "TrialTimeoutError('The trial ran past its time limit of 1 s (--trial-timeout) and its thread was stopped')"],
    ]);
    expect(res.stdout).toMatch(/: 6 trials: 3 complete, 0 pruned, 3 failed\.\nBest trial: [0256]\n/);
  });

  it("exits 1 when no trial completed, naming the most common failure, after the summary and --out's files", async () => {
    const out = path.join(dir, "all-fail");
    const res = await embedded(["--trials", "3", "--study", "all-fail", "--out", out], "0:throw,*:exit");
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toContain('Study "all-fail" (minimize): 3 trials: 0 complete, 0 pruned, 3 failed.\nNo trial completed, so there is no best trial.');
    expect(res.stderr).toContain(
      'shoal: no trial of study "all-fail" completed, so it has no best trial: 3 trials: 0 pruned, 3 failed; the most common failure (2 of 3): ' +
        "ThreadCrashedError('The trial thread exited with code 3: the objective (or a module it uses) called process.exit(); return a value or throw instead')\n",
    );
    expect(existsSync(path.join(out, "trials.json")) && existsSync(path.join(out, "trials.csv"))).toBe(true);
  });

  it("exits 1 when every trial was pruned: there is no best trial either, as Optuna's study.best_trial raises", async () => {
    const res = await embedded(["--trials", "2", "--study", "all-pruned"], "*:prune");
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toContain("2 trials: 0 complete, 2 pruned, 0 failed.");
    expect(res.stderr).toContain('shoal: no trial of study "all-pruned" completed, so it has no best trial: 2 trials: 2 pruned, 0 failed.\n');
  });

  it("refuses a --trial-memory out of range with the range", async () => {
    const res = await embedded(["--trials", "1", "--trial-memory", "8"], "");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('shoal optimize: --trial-memory must be a whole number from 32 to 65536, got "8".');
  });
});
