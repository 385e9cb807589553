import { readFile, readdir } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { categoricalDistribution, floatDistribution, paretoFrontTrials, Rng } from "@shoal/core";
import { describe, expect, it } from "vitest";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { PlotOptionError } from "../errors.js";
import { StudySnapshot } from "../study-snapshot.js";
import { writeReport } from "./write-report.js";
import { REPORT_PLOT_NAMES, reportPlotNames } from "./report-figures.js";

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

/** 40 trials of (minimize x^2 + y^2, maximize x + y), some infeasible (x > 0.8), some failed. */
function moStudy() {
  const rng = new Rng(4);
  return new StudySnapshot(
    "mo-<study>",
    ["minimize", "maximize"],
    Array.from({ length: 40 }, (_, i) => {
      const params = { lr: 10 ** rng.uniform(-4, 0), opt: rng.random() < 0.5 ? "sgd" : "adam", x: rng.uniform(-1, 1) };
      const y = rng.uniform(-1, 1);
      const state = i % 9 === 4 ? "FAIL" : "COMPLETE";
      return trial(i, {
        state,
        values: state === "FAIL" ? null : [params.x ** 2 + y ** 2, params.x + y],
        params,
        distributions,
        systemAttrs: { constraints: [params.x - 0.8] },
      });
    }),
  );
}

describe("writeReport on a multi-objective study", () => {
  it("draws the Pareto front, the hypervolume history and each objective's plots", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "shoal-report-"));
    const study = moStudy();
    const result = await writeReport(study, { outDir, objectiveNames: ["loss", "gain"] });
    const names = reportPlotNames(2);
    expect(names.slice(0, 4)).toEqual(["pareto-front", "hypervolume-history", "optimization-history-0", "param-importances-0"]);
    expect(names).toHaveLength(2 + 6 * 2 + 2);
    expect(Object.keys(result.plotFiles).sort()).toEqual([...names].sort());
    expect((await readdir(outDir)).sort()).toEqual(["report.html", ...names.map((n) => `${n}.html`)].sort());

    const html = await readFile(result.reportFile, "utf8");
    // Every plot is in the page, in order, each objective's under its heading.
    const ids = [...html.matchAll(/id="section-([\w-]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(names);
    expect(html.indexOf('<h2 class="objective" id="objective-1">gain (maximize)</h2>')).toBeLessThan(html.indexOf('id="section-optimization-history-1"'));
    expect(html).toContain("directions loss minimize, gain maximize");

    const pareto = await readFile(result.plotFiles["pareto-front"]!, "utf8");
    expect(pareto).toContain("Pareto-front Plot");
    expect(pareto).toContain("Infeasible Trial");
    const history1 = await readFile(result.plotFiles["optimization-history-1"]!, "utf8");
    expect(history1).toContain("Optimization History Plot: gain");
    // The objective's direction is known, so the history has a best line.
    expect(history1).toContain("Best Value");
    const hypervolume = await readFile(result.plotFiles["hypervolume-history"]!, "utf8");
    expect(hypervolume).toMatch(/reference point \[[-\d.e]+, [-\d.e]+\]/);
  });

  it("lists the Pareto-front trials in the summary instead of a best trial", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "shoal-report-"));
    const study = moStudy();
    const { summary, reportFile } = await writeReport(study, { outDir });
    expect(summary.bestTrial).toBeNull();
    expect(summary.direction).toBe("minimize, maximize");
    expect(summary.objectiveNames).toEqual(["Objective 0", "Objective 1"]);
    const front = study.getTrials().filter((t) => t.state === "COMPLETE");
    expect(summary.paretoFront?.map((t) => t.number)).toEqual(
      paretoFrontTrials(front, study.directions).map((t) => t.number),
    );
    expect(summary.paretoFront!.length).toBeGreaterThan(1);
    // No infeasible trial (x > 0.8) is on the front.
    expect(summary.paretoFront!.every((t) => (t.params.x as number) <= 0.8)).toBe(true);
    expect(summary.importances).toBeNull();
    expect(summary.importancesByObjective.map((o) => o.objective)).toEqual(["Objective 0", "Objective 1"]);
    expect(summary.importancesByObjective.every((o) => o.importances !== null)).toBe(true);

    const html = await readFile(reportFile, "utf8");
    expect(html).toContain("<h2>Pareto front</h2>");
    expect(html).not.toContain("<h2>Best trial</h2>");
    expect(html).toContain(`${summary.paretoFront!.length} trials on the front`);
    expect(html).toContain("<th>Trial</th><th>Objective 0 (minimize)</th><th>Objective 1 (maximize)</th><th>lr</th><th>opt</th><th>x</th>");
    for (const t of summary.paretoFront!) expect(html).toContain(`<tr><td class="num">${t.number}</td><td class="num">${t.values![0]}</td>`);
    expect(html).toContain("<h3>Objective 1</h3>");
  });

  it("says why there is no front or hypervolume before any trial is feasible", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "shoal-report-"));
    const study = new StudySnapshot("none", ["minimize", "minimize"], [trial(0, { values: [1, 1], systemAttrs: { constraints: [1] } })]);
    const { summary, reportFile } = await writeReport(study, { outDir });
    expect(summary.paretoFront).toEqual([]);
    const html = await readFile(reportFile, "utf8");
    expect(html).toContain("No feasible completed trial yet, so no Pareto front.");
    expect(html).toContain('Study \\"none\\" has no feasible completed trial: no hypervolume to plot.');
  });

  it("refuses objective names or a reference point that do not fit", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "shoal-report-"));
    await expect(writeReport(moStudy(), { outDir, objectiveNames: ["only one"] })).rejects.toThrow(
      "writeReport: option `objectiveNames` has 1 names, and the study has 2 objectives: give one per objective.",
    );
    await expect(writeReport(moStudy(), { outDir, referencePoint: [1] })).rejects.toThrow(PlotOptionError);
  });
});

describe("writeReport's best trial", () => {
  it("is never an infeasible trial, as study.bestTrial", async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), "shoal-report-"));
    const study = snapshot([
      trial(0, { value: 3, params: { x: 0 } }),
      trial(1, { value: 1, params: { x: 1 }, systemAttrs: { constraints: [0.5] } }),
      trial(2, { value: 2, params: { x: 2 }, systemAttrs: { constraints: [0] } }),
    ]);
    const { summary } = await writeReport(study, { outDir });
    expect(summary.bestTrial?.number).toBe(2);
    const none = await writeReport(snapshot([trial(0, { value: 1, params: { x: 0 }, systemAttrs: { constraints: [1] } })]), { outDir });
    expect(none.summary.bestTrial).toBeNull();
    expect(await readFile(none.reportFile, "utf8")).toContain("No feasible completed trial yet, so no best trial.");
  });
});
