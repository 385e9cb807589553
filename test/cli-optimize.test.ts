import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "@shoal/testing";
import { runShoal } from "@shoal/testing/cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const iris = path.join(repoRoot, "examples/iris-random-forest/objective.ts");
const TRIAL_LINE =
  /^\[I \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] Trial (\d+) finished with value: ([0-9.]+) and parameters: \{'n_estimators': \d+, 'max_depth': \d+, 'min_samples_split': [0-9.e-]+\}\. Best is trial (\d+) with value: ([0-9.]+)\.$/;

describe("shoal optimize on the iris example (no Redis)", () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), "shoal-cli-"));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it("prints Optuna-style lines, the best trial, and writes JSON and CSV", async () => {
    const res = await runShoal([
      "optimize", iris, "--trials", "15", "--direction", "maximize", "--seed", "77", "--jobs", "2", "--study", "iris-e2e", "--out", out,
    ]);
    expect(res.stderr).toContain("A new study created in memory with name: iris-e2e");
    const lines = res.stderr.split("\n").filter((l) => TRIAL_LINE.test(l));
    expect(lines).toHaveLength(15);
    const numbers = lines.map((l) => Number(TRIAL_LINE.exec(l)![1])).sort((a, b) => a - b);
    expect(numbers).toEqual([...Array(15).keys()]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Study "iris-e2e" \(maximize\): 15 trials: 15 complete, 0 pruned, 0 failed\./);
    const best = /Best trial: (\d+)\n {2}Value: ([0-9.]+)/.exec(res.stdout);
    expect(best).not.toBeNull();
    const json = JSON.parse(await readFile(path.join(out, "trials.json"), "utf8")) as {
      studyName: string;
      bestTrialNumber: number;
      trials: Array<{ number: number; value: number; params: Record<string, number> }>;
    };
    expect(json.studyName).toBe("iris-e2e");
    expect(json.trials).toHaveLength(15);
    expect(json.bestTrialNumber).toBe(Number(best![1]));
    expect(Math.max(...json.trials.map((t) => t.value))).toBe(Number(best![2]));
    const csv = (await readFile(path.join(out, "trials.csv"), "utf8")).trimEnd().split("\n");
    expect(csv[0]).toContain("params_n_estimators,params_max_depth,params_min_samples_split");
    expect(csv).toHaveLength(16);
  });

  it("is reproducible with a seed", async () => {
    const run = () => runShoal(["optimize", iris, "--trials", "12", "--direction", "maximize", "--seed", "3", "--log-format", "json"]);
    const params = (stderr: string) =>
      stderr
        .split("\n")
        .filter((l) => l.includes('"trial_finished"'))
        .map((l) => JSON.stringify((JSON.parse(l) as { params: unknown }).params));
    const [a, b] = [await run(), await run()];
    expect(params(a.stderr)).toHaveLength(12);
    expect(params(a.stderr)).toEqual(params(b.stderr));
  });

  it("exits 2 with a usage error for a wrong flag", async () => {
    const res = await runShoal(["optimize", iris, "--trials", "many"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('shoal optimize: --trials must be a whole number >= 0, got "many".');
    expect(res.stderr).toContain("Usage: shoal optimize <objective-module>");
  });
});
