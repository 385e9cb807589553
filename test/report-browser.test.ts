import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";
import { createLogger, createStudy, RandomSampler, type StudyDirection, type Study } from "@shoal/core";
import {
  DEFAULT_BROWSER,
  plotOptimizationHistory,
  plotParetoFront,
  plotSlice,
  renderPng,
  renderPngs,
  REPORT_PLOT_NAMES,
  reportPlotNames,
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

/**
 * 50 trials of (minimize loss, maximize accuracy) (or three objectives, with model size
 * minimised), some failed and some infeasible, the constraint recorded as a sampler's
 * constraintsFunc would.
 */
function buildMultiObjectiveStudy(objectives: 2 | 3): Study {
  const directions: StudyDirection[] = objectives === 2 ? ["minimize", "maximize"] : ["minimize", "maximize", "minimize"];
  const study = createStudy({
    studyName: `browser-mo-${objectives}`,
    directions,
    sampler: new RandomSampler({ seed: 5 }),
    logger: createLogger({ sink: { write: () => undefined } }),
  });
  for (let i = 0; i < 50; i++) {
    const trial = study.ask();
    const x = trial.suggestFloat("x", 0, 1);
    const depth = trial.suggestInt("depth", 1, 8);
    const optimizer = trial.suggestCategorical("optimizer", ["sgd", "adam"]);
    const loss = x + depth / 10 + (optimizer === "adam" ? 0 : 0.3);
    const accuracy = 1 - (1 - x) ** 2 - 0.02 * depth;
    study.storage.setTrialSystemAttr(trial.trialId, "constraints", [depth - 6]);
    if (i % 11 === 3) study.tell(trial, undefined, { state: "FAIL" });
    else study.tell(trial, objectives === 2 ? [loss, accuracy] : [loss, accuracy, depth * x]);
  }
  return study;
}

/** The RGBA pixels of an 8-bit RGBA, non-interlaced PNG (what Chromium's Plotly.toImage writes). */
function pngPixels(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect([png[24], png[25], png[28]]).toEqual([8, 6, 0]);
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString("latin1", at + 4, at + 8) === "IDAT") chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const stride = width * 4;
  const rgba = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const byte = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter]!;
      rgba[y * stride + x] = (byte + predicted) & 0xff;
    }
  }
  return { width, height, rgba };
}

/** How many pixels are the dark reds of the front's markers (nothing else in the figure is red). */
function redPixels(png: Buffer): number {
  const { rgba } = pngPixels(png);
  let count = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i]! > 90 && rgba[i + 1]! < 70 && rgba[i + 2]! < 70) count++;
  return count;
}

describe.skipIf(!hasChromium)(`${title}: a multi-objective study`, () => {
  let outDir: string;
  let study: Study;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), "shoal-report-browser-mo-"));
    study = buildMultiObjectiveStudy(2);
    await writeReport(study, { outDir, objectiveNames: ["loss", "accuracy"] });
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it("draws the Pareto front with the front's points, and every other plot, with no console errors", async () => {
    const problems: string[] = [];
    const result = await withBrowserPage({}, async (page) => {
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      await page.goto(pathToFileURL(path.join(outDir, "report.html")).href);
      await page.waitForFunction("document.body.dataset.plotsReady !== undefined", undefined, { timeout: 90_000 });
      expect(await page.evaluate("document.body.dataset.plotsReady")).toBe("true");
      // What plotly drew: each trace of the Pareto front with its points as plotted (gd.calcdata)
      // and the SVG markers in it, and which plots fell back to a message.
      return page.evaluate(`(() => {
        const front = document.getElementById("plot-pareto-front");
        const traces = [...front.querySelectorAll(".scatterlayer .trace")];
        return {
          ids: [...document.querySelectorAll(".shoal-plot")].map((el) => el.id),
          messages: [...document.querySelectorAll(".shoal-plot")].filter((el) => el.querySelector(".annotation-text")).map((el) => el.id),
          front: front._fullData.map((trace, i) => ({
            name: trace.name,
            points: front.calcdata[i].filter((p) => Number.isFinite(p.x)).map((p) => [p.x, p.y]),
            markers: traces[i] ? traces[i].querySelectorAll("path.point").length : 0,
          })),
          xTitle: front.querySelector(".xtitle")?.textContent,
          yTitle: front.querySelector(".ytitle")?.textContent,
        };
      })()`);
    });
    expect(problems).toEqual([]);
    const drawn = result as {
      ids: string[];
      messages: string[];
      front: Array<{ name: string; points: Array<[number, number]>; markers: number }>;
      xTitle: string;
      yTitle: string;
    };
    expect(drawn.ids).toEqual(reportPlotNames(2).map((name) => `plot-${name}`));
    // No trial reported intermediate values; every other plot drew its data.
    expect(drawn.messages).toEqual(["plot-intermediate-values"]);
    expect(drawn.front.map((t) => t.name)).toEqual(["Trial", "Best Trial", "Infeasible Trial"]);
    const best = drawn.front[1]!;
    // The report writes numbers with 7 significant digits.
    const expected = study.bestTrials.map((t) => [Number(t.values![0]!.toPrecision(7)), Number(t.values![1]!.toPrecision(7))]);
    expect(expected.length).toBeGreaterThan(1);
    expect(best.points).toEqual(expected);
    expect(best.markers).toBe(expected.length);
    const complete = study.trials.filter((t) => t.state === "COMPLETE");
    const infeasible = complete.filter((t) => (t.params.depth as number) > 6);
    expect(infeasible.length).toBeGreaterThan(0);
    expect(drawn.front[2]!.markers).toBe(infeasible.length);
    expect(drawn.front[0]!.markers + best.markers + drawn.front[2]!.markers).toBe(complete.length);
    expect([drawn.xTitle, drawn.yTitle]).toEqual(["loss", "accuracy"]);
  }, 120_000);

  it("renders the Pareto front to PNG, in 2-D and 3-D", async () => {
    const flat = path.join(outDir, "pareto-2d.png");
    const solid = path.join(outDir, "pareto-3d.png");
    await renderPng(plotParetoFront(study, { targetNames: ["loss", "accuracy"] }), flat);
    await renderPng(plotParetoFront(buildMultiObjectiveStudy(3)), solid);
    for (const file of [flat, solid]) {
      const png = await readFile(file);
      expect(png.subarray(1, 4).toString(), file).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], file).toEqual([900, 500]);
      // The front's markers were drawn (WebGL for the 3-D one), not just empty axes.
      expect(redPixels(png), file).toBeGreaterThan(20);
    }
  }, 120_000);
});
