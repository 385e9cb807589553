import { readFile, readdir } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { categoricalDistribution, floatDistribution, Rng } from "@shoal/core";
import { describe, expect, it } from "vitest";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { writeReport } from "./write-report.js";
import { REPORT_PLOT_NAMES } from "./report-figures.js";

const distributions = {
  lr: floatDistribution("lr", 1e-4, 1, { log: true }),
  opt: categoricalDistribution("opt", ["sgd", "adam"]),
  x: floatDistribution("x", -1, 1),
};

function study() {
  const rng = new Rng(9);
  return snapshot(
    Array.from({ length: 40 }, (_, i) => {
      const params = { lr: 10 ** rng.uniform(-4, 0), opt: rng.random() < 0.5 ? "sgd" : "adam", x: rng.uniform(-1, 1) };
      const value = params.x ** 2 + (params.opt === "adam" ? 0 : 1);
      const state = i % 9 === 4 ? "FAIL" : i % 7 === 2 ? "PRUNED" : "COMPLETE";
      return trial(i, { state, value: state === "FAIL" ? null : value, params, distributions, intermediateValues: { 0: value + 1, 1: value } });
    }),
    "minimize",
    "report-<study>",
  );
}

describe("writeReport", () => {
  it("writes report.html and one self-contained page per plot", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "shoal-report-"));
    const result = await writeReport(study(), { outDir, now: new Date("2026-01-01T00:01:00Z") });
    const files = await readdir(outDir);
    expect(files.sort()).toEqual(["report.html", ...REPORT_PLOT_NAMES.map((n) => `${n}.html`)].sort());
    expect(result.reportFile).toBe(path.join(outDir, "report.html"));
    for (const file of [result.reportFile, ...Object.values(result.plotFiles)]) {
      const html = await readFile(file, "utf8");
      // Offline: plotly is inlined, no script is fetched from anywhere.
      expect(html).not.toMatch(/<script[^>]+src=/i);
      expect(html).toContain("plotly.js v");
      expect(html.length).toBeLessThan(6_000_000);
    }
  });

  it("puts the summary on top: best trial, counts by state, importances", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "shoal-report-"));
    const { summary, reportFile } = await writeReport(study(), { outDir });
    expect(summary.countsByState).toEqual({ COMPLETE: 30, PRUNED: 6, FAIL: 4, RUNNING: 0, WAITING: 0 });
    expect(summary.bestTrial?.params.opt).toBe("adam");
    expect(Object.keys(summary.importances ?? {})[0]).toBe("opt");
    const html = await readFile(reportFile, "utf8");
    expect(html).toContain("<title>Shoal report · report-&lt;study&gt;</title>");
    expect(html).toContain(`Trial ${summary.bestTrial?.number}, value`);
    expect(html).toMatch(/<tr><td>FAIL<\/td><td class="num">4<\/td><\/tr>/);
    expect(html).toContain("<h2>Hyperparameter importances</h2>");
    // The study name is user text: escaped in HTML, and unable to close a script in the JSON.
    expect(html).not.toContain("report-<study>");
  });

  it("still writes a report for a study with no finished trial", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "shoal-report-"));
    const { summary, reportFile } = await writeReport(snapshot([trial(0, { state: "RUNNING", datetimeComplete: null })], "minimize", "fresh"), { outDir });
    expect(summary.bestTrial).toBeNull();
    expect(summary.importanceMessage).toBe('Study "fresh" has no completed trials: importances need at least two.');
    const html = await readFile(reportFile, "utf8");
    expect(html).toContain("No completed trial yet, so no best trial.");
    expect(html).toContain("has no completed trials yet: nothing to plot.");
  });
});
