/**
 * `shoal optimize --sampler gp` in one process (issue 12): the GP drives an embedded study, and a
 * multi-objective study is refused with an error that names what to use instead.
 */
import path from "node:path";
import { repoRoot } from "@shoal/testing";
import { runShoal } from "@shoal/testing/cli";
import { describe, expect, it } from "vitest";

const fixtures = path.join(repoRoot, "packages/testing/fixtures");

describe("shoal optimize --sampler gp", () => {
  it("runs an embedded study with the GP and finds quadratic's minimum", async () => {
    const res = await runShoal(["optimize", path.join(fixtures, "quadratic.mjs"), "--sampler", "gp", "--trials", "16", "--seed", "5", "--study", "gp-cli", "--log-format", "json"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Study "gp-cli" \(minimize\): 16 trials: 16 complete, 0 pruned, 0 failed\./);
    const values = res.stderr
      .split("\n")
      .filter((l) => l.includes('"trial_finished"'))
      .map((l) => (JSON.parse(l) as { value: number }).value);
    expect(values).toHaveLength(16);
    // Ten random startup trials, then six GP trials that beat them all on a smooth bowl.
    expect(Math.min(...values.slice(10))).toBeLessThan(Math.min(...values.slice(0, 10)));
  });

  it("refuses a multi-objective study, naming the samplers that take one", async () => {
    const res = await runShoal(["optimize", path.join(fixtures, "zdt1.mjs"), "--sampler", "gp", "--trials", "3", "--directions", "minimize,minimize"]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/GPSampler supports single-objective studies only.*--sampler tpe or --sampler nsga2/);
  });
});
