import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createLogger, createStudy, RandomSampler, type Study } from "@shoal/core";
import {
  DEFAULT_BROWSER,
  plotOptimizationHistory,
  plotSlice,
  renderPngs,
  REPORT_PLOT_NAMES,
  withBrowserPage,
  writeReport,
} from "@shoal/viz";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// .ci/run installs Chromium from Debian; elsewhere, say clearly why the test did not run.
const hasChromium = existsSync(DEFAULT_BROWSER);
const title = hasChromium
  ? "report.html in headless Chromium"
  : `report.html in headless Chromium: SKIPPED, no browser at ${DEFAULT_BROWSER} (apt-get install -y chromium)`;

/** 60 trials of every kind of parameter, with reports, pruned and failed trials, and three workers. */
function buildStudy(): Study {
  const study = createStudy({
    studyName: "browser-test",
    sampler: new RandomSampler({ seed: 11 }),
    logger: createLogger({ sink: { write: () => undefined } }),
  });
  for (let i = 0; i < 60; i++) {
    const trial = study.ask();
    const x = trial.suggestFloat("x", -5, 5);
    const lr = trial.suggestFloat("lr", 1e-5, 1e-1, { log: true });
    const optimizer = trial.suggestCategorical("optimizer", ["sgd", "adam", "rmsprop"]);
    const depth = trial.suggestInt("depth", 1, 16);
    const value = (x - 1) ** 2 + (Math.log10(lr) + 3) ** 2 + (optimizer === "adam" ? 0 : 2) + depth / 10;
    for (let step = 0; step < 4; step++) trial.report(value + 4 / (step + 1), step);
    study.storage.setTrialSystemAttr(trial.trialId, "worker", `worker-${(i % 3) + 1}`);
    if (i % 13 === 5) study.tell(trial, undefined, { state: "FAIL" });
    else if (i % 7 === 3) study.tell(trial, undefined, { state: "PRUNED" });
    else study.tell(trial, value);
  }
  return study;
}

describe.skipIf(!hasChromium)(title, () => {
  let outDir: string;
  let study: Study;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), "shoal-report-browser-"));
    study = buildStudy();
    await writeReport(study, { outDir });
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("draws every plot of report.html, with SVG traces, and logs no console errors", async () => {
    const problems: string[] = [];
    const plots = await withBrowserPage({}, async (page) => {
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("request", (request) => {
        if (!request.url().startsWith("file:")) problems.push(`network request: ${request.url()}`);
      });
      await page.goto(pathToFileURL(path.join(outDir, "report.html")).href);
      await page.waitForFunction("document.body.dataset.plotsReady !== undefined", undefined, { timeout: 90_000 });
      expect(await page.evaluate("document.body.dataset.plotsReady")).toBe("true");
      return page.evaluate(`[...document.querySelectorAll(".shoal-plot")].map((el) => ({
        id: el.id,
        mainSvg: el.querySelectorAll(".plot-container .main-svg").length,
        traces: el.querySelectorAll(".trace").length,
        parcoords: el.querySelectorAll("g.parcoords").length,
        canvases: el.querySelectorAll("canvas").length,
        annotations: [...el.querySelectorAll(".annotation-text")].map((a) => a.textContent),
      }))`);
    });
    expect(problems).toEqual([]);
    const rendered = plots as Array<{ id: string; mainSvg: number; traces: number; parcoords: number; canvases: number; annotations: string[] }>;
    expect(rendered.map((p) => p.id)).toEqual(REPORT_PLOT_NAMES.map((name) => `plot-${name}`));
    for (const plot of rendered) {
      expect(plot.mainSvg, plot.id).toBeGreaterThan(0);
      // No plot fell back to a "nothing to plot" message.
      expect(plot.annotations, plot.id).toEqual([]);
      if (plot.id === "plot-parallel-coordinate") {
        // Parallel coordinates draw their lines on WebGL canvases, the axes in SVG.
        expect(plot.parcoords, plot.id).toBe(1);
        expect(plot.canvases, plot.id).toBeGreaterThan(0);
      } else {
        expect(plot.traces, plot.id).toBeGreaterThan(0);
      }
    }
    const byId = new Map(rendered.map((p) => [p.id, p]));
    expect(byId.get("plot-slice")?.traces).toBe(4);
    expect(byId.get("plot-contour")?.traces).toBeGreaterThanOrEqual(12);
  }, 120_000);

  it("writes pages that load nothing from the network", async () => {
    for (const name of ["report", ...REPORT_PLOT_NAMES]) {
      const html = await readFile(path.join(outDir, `${name}.html`), "utf8");
      expect(html, name).not.toMatch(/<script[^>]+src=/i);
      expect(html, name).not.toMatch(/<link[^>]+href=["']?https?:/i);
    }
  });

  it("renders figures to PNG images", async () => {
    const files = ["history.png", "slice.png"].map((f) => path.join(outDir, f));
    await renderPngs([
      { figure: plotOptimizationHistory(study), file: files[0]! },
      { figure: plotSlice(study), file: files[1]! },
    ]);
    for (const file of files) {
      const png = await readFile(file);
      expect(png.subarray(1, 4).toString(), file).toBe("PNG");
    }
    // Width and height from the PNG header: 900 x 500 unless the figure sets its own (slice: 300 px per param).
    const history = await readFile(files[0]!);
    expect([history.readUInt32BE(16), history.readUInt32BE(20)]).toEqual([900, 500]);
    const slice = await readFile(files[1]!);
    expect(slice.readUInt32BE(16)).toBe(1200);
  }, 120_000);
});
