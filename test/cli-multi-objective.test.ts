/**
 * `shoal optimize --directions` in the embedded mode (issue 16): the log lines, the summary's
 * Pareto front, trials.json and trials.csv with both values, and a journal study resumed with
 * its directions.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { dominates } from "@shoal/core";
import { fixture } from "@shoal/testing";
import { runShoal } from "@shoal/testing/cli";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "shoal-mo-cli-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("shoal optimize --directions (embedded)", () => {
  it("runs a two-objective study: Optuna's lines, the Pareto front in the summary, values in trials.json and trials.csv", async () => {
    const out = path.join(dir, "out");
    const res = await runShoal(["optimize", fixture("zdt1.mjs"), "--directions", "minimize,minimize", "--trials", "30", "--seed", "2", "--jobs", "2", "--study", "zdt", "--out", out, "--no-progress"]);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stderr.split("\n").filter((l) => / Trial \d+ finished with values: \[[^\]]+\] and parameters: \{'x0': /.test(l));
    expect(lines).toHaveLength(30);
    expect(res.stdout).toMatch(/^Study "zdt" \(minimize, minimize\): 30 trials: 30 complete, 0 pruned, 0 failed\.\nPareto front: (\d+) trials?\n/);

    const json = JSON.parse(await readFile(path.join(out, "trials.json"), "utf8")) as {
      directions: string[];
      direction?: string;
      trials: Array<{ number: number; values: number[]; value: null }>;
    };
    expect(json.directions).toEqual(["minimize", "minimize"]);
    expect(json).not.toHaveProperty("direction");
    expect(json.trials.every((t) => t.values.length === 2 && t.value === null)).toBe(true);
    const front = json.trials.filter((t) => !json.trials.some((o) => dominates(o.values, t.values)));
    expect(res.stdout).toContain(`Pareto front: ${front.length} trial`);
    for (const t of front.slice(0, 10)) expect(res.stdout).toContain(`  #${t.number}  values [`);

    const csv = (await readFile(path.join(out, "trials.csv"), "utf8")).trim().split("\n");
    expect(csv[0]!.startsWith("number,values_0,values_1,datetime_start")).toBe(true);
    expect(csv).toHaveLength(31);
  });

  it("shoal report on a two-objective study: the Pareto front, the hypervolume history and each objective's plots", async () => {
    const out = path.join(dir, "out");
    const run = await runShoal(["optimize", fixture("zdt1.mjs"), "--directions", "minimize,minimize", "--trials", "12", "--seed", "3", "--out", out, "--no-progress"]);
    expect(run.code, run.stderr).toBe(0);
    const res = await runShoal(["report", "--out", out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("and 16 plot pages in");
    const html = await readFile(path.join(out, "report.html"), "utf8");
    expect(html).toContain("<h2>Pareto front</h2>");
    for (const id of ["pareto-front", "hypervolume-history", "optimization-history-0", "edf-1"]) expect(html).toContain(`id="section-${id}"`);
    expect(await readFile(path.join(out, "pareto-front.html"), "utf8")).toContain("Pareto-front Plot");

    const named = await runShoal(["report", "--out", out, "--objective-names", "f1,f2", "--reference-point", "2,20"]);
    expect(named.code, named.stderr).toBe(0);
    expect(await readFile(path.join(out, "hypervolume-history.html"), "utf8")).toContain("reference point [2, 20]");
    expect(await readFile(path.join(out, "pareto-front.html"), "utf8")).toContain('"text":"f2"');
    const wrong = await runShoal(["report", "--out", out, "--reference-point", "2,20,3"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("--reference-point has 3 numbers, and study");
  });

  it("a journal study resumes with its directions; other directions are refused naming both", async () => {
    const journal = path.join(dir, "mo.jsonl");
    const base = ["optimize", fixture("zdt1.mjs"), "--storage", journal, "--study", "mo", "--sampler", "random", "--no-progress"];
    const first = await runShoal([...base, "--directions", "minimize,minimize", "--trials", "5"]);
    expect(first.code, first.stderr).toBe(0);
    const resumed = await runShoal([...base, "--trials", "3"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('Study "mo" (minimize, minimize): 8 trials: 8 complete');
    const wrong = await runShoal([...base, "--direction", "minimize", "--trials", "1"]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('study "mo" exists with directions [minimize, minimize], which differs from "minimize"');
    const status = await runShoal(["status", "--storage", journal, "--format", "json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ studyName: "mo", directions: ["minimize", "minimize"], trials: 8 });
  });

  it("--constraints-attr: constraint values from a user attr, shown in trials.csv; the best trial is the best feasible one", async () => {
    const out = path.join(dir, "out");
    const res = await runShoal(["optimize", fixture("constrained.mjs"), "--trials", "40", "--seed", "1", "--constraints-attr", "c", "--study", "con", "--out", out, "--no-progress"]);
    expect(res.code, res.stderr).toBe(0);
    const json = JSON.parse(await readFile(path.join(out, "trials.json"), "utf8")) as {
      bestTrialNumber: number;
      trials: Array<{ number: number; value: number; userAttrs: { c: number }; systemAttrs: { constraints: number[] } }>;
    };
    for (const t of json.trials) expect(t.systemAttrs.constraints).toEqual([t.userAttrs.c]);
    const feasible = json.trials.filter((t) => t.userAttrs.c <= 0);
    const best = feasible.reduce((a, b) => (b.value < a.value ? b : a));
    expect(json.bestTrialNumber).toBe(best.number);
    expect(res.stdout).toContain(`Best trial: ${best.number}\n`);
    const csv = (await readFile(path.join(out, "trials.csv"), "utf8")).split("\n");
    expect(csv[0]).toContain("system_attrs_constraints");
    const refused = await runShoal(["optimize", fixture("constrained.mjs"), "--trials", "1", "--sampler", "random", "--constraints-attr", "c"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--constraints-attr needs a sampler that uses constraints (tpe, nsga2, nsga3 or gp), got --sampler random");
  });

  it("fails a trial whose objective returns one value on a two-objective study, saying so", async () => {
    const res = await runShoal(["optimize", fixture("quadratic.mjs"), "--directions", "minimize,maximize", "--trials", "2", "--no-progress"]);
    expect(res.stderr).toContain("The objective returned");
    expect(res.stderr).toMatch(/on a study of 2 objectives; it must return an array of 2 finite numbers, one per direction/);
  });
});
