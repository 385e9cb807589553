// The one-value plots on a multi-objective study: without `target` each says to pass one (the
// snapshot's `direction` throws there, so these tests also show that no plot reads it once a
// target is given), and with `target` each plots that objective.
import { categoricalDistribution, floatDistribution, Rng, type FrozenTrial } from "@shoal/core";
import { describe, expect, it } from "vitest";
import { TargetRequiredError } from "../errors.js";
import { figureMessage, type PlotlyFigure } from "../figure.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { plotContour } from "./contour.js";
import { plotEdf } from "./edf.js";
import { plotIntermediateValues } from "./intermediate-values.js";
import { plotOptimizationHistory } from "./optimization-history.js";
import { plotParallelCoordinate } from "./parallel-coordinate.js";
import { plotParamImportances } from "./param-importances.js";
import { plotSlice } from "./slice.js";
import { plotTimeline } from "./timeline.js";

const distributions = {
  x: floatDistribution("x", -1, 1),
  y: floatDistribution("y", -1, 1),
  c: categoricalDistribution("c", ["a", "b"]),
};

/** 30 trials of (minimize x^2 + y, maximize x - y), a few failed. */
function moStudy() {
  const rng = new Rng(5);
  return snapshot(
    Array.from({ length: 30 }, (_, i) => {
      const params = { x: rng.uniform(-1, 1), y: rng.uniform(-1, 1), c: rng.random() < 0.5 ? "a" : "b" };
      const values = [params.x ** 2 + params.y, params.x - params.y];
      if (i % 10 === 7) return trial(i, { state: "FAIL", params, distributions });
      return trial(i, { values, params, distributions, intermediateValues: { 0: values[0]! + 1, 1: values[0]! } });
    }),
    ["minimize", "maximize"],
    "mo",
  );
}

const second = (t: FrozenTrial) => t.values![1]!;

type OnePlot = (study: ReturnType<typeof moStudy>, options: { target?: (t: FrozenTrial) => number; targetName?: string }) => PlotlyFigure;

const plots: Array<[string, OnePlot]> = [
  ["plotOptimizationHistory", plotOptimizationHistory],
  ["plotSlice", plotSlice],
  ["plotContour", plotContour],
  ["plotParallelCoordinate", plotParallelCoordinate],
  ["plotEdf", plotEdf],
  ["plotParamImportances", (study, o) => plotParamImportances(study, o.target === undefined ? {} : { target: o.target })],
];

describe("one-value plots on a multi-objective study", () => {
  it.each(plots)("%s without `target` says to pass one", (name, plot) => {
    const call = () => plot(moStudy(), {});
    expect(call).toThrow(TargetRequiredError);
    expect(call).toThrow(
      `${name} plots one value per trial, and study "mo" has 2 objectives: pass the option \`target\` to pick one, ` +
        'e.g. `{ target: (t) => t.values![0]!, targetName: "Objective 0" }`, or draw every objective at once with plotParetoFront.',
    );
  });

  it.each(plots)("%s with `target` plots that objective", (_, plot) => {
    const fig = plot(moStudy(), { target: second, targetName: "Objective 1" });
    expect(figureMessage(fig)).toBeNull();
    expect(fig.data.length).toBeGreaterThan(0);
  });

  it("plots the target's numbers: history, slice, EDF and parallel coordinates", () => {
    const study = moStudy();
    const complete = study.getTrials({ states: ["COMPLETE"] });
    const options = { target: second, targetName: "Objective 1" };
    expect(plotOptimizationHistory(study, options).data[0]).toMatchObject({ name: "Objective 1", x: complete.map((t) => t.number), y: complete.map(second) });
    expect(plotSlice(study, options).data[0]?.y).toEqual(complete.map(second));
    expect(plotEdf(study, options).layout.xaxis).toMatchObject({ title: { text: "Objective 1" } });
    const dims = plotParallelCoordinate(study, options).data[0]?.dimensions as Array<{ label: string; values: number[] }>;
    expect(dims[0]).toMatchObject({ label: "Objective 1", values: complete.map(second) });
  });

  it("gives a target its direction with targetDirection: best line and colour scale", () => {
    const study = moStudy();
    const values = study.getTrials({ states: ["COMPLETE"] }).map(second);
    const history = plotOptimizationHistory(study, { target: second, targetDirection: "maximize" });
    const best = values.map((_, i) => Math.max(...values.slice(0, i + 1)));
    expect(history.data[1]).toMatchObject({ name: "Best Value", y: best });
    // Without it, a custom target has no best line (its direction is unknown), as in Optuna.
    expect(plotOptimizationHistory(study, { target: second }).data.map((d) => d.name)).toEqual(["Objective Value"]);
    // Dark is good: a maximised target's scale is not reversed; an unknown one's is.
    expect(plotParallelCoordinate(study, { target: second, targetDirection: "maximize" }).data[0]?.line).toMatchObject({ reversescale: false });
    expect(plotParallelCoordinate(study, { target: second }).data[0]?.line).toMatchObject({ reversescale: true });
    expect(plotContour(study, { target: second, targetDirection: "maximize" }).data[0]).toMatchObject({ reversescale: false });
  });

  it("keeps the best trial of a maximised target when sampling", () => {
    const study = moStudy();
    const complete = study.getTrials({ states: ["COMPLETE"] });
    const bestNumber = complete.reduce((a, b) => (second(b) > second(a) ? b : a)).number;
    const fig = plotContour(study, { target: second, targetDirection: "maximize", params: ["x", "y"], maxPoints: 2 });
    const numbers = (fig.data[1]?.customdata as Array<[number, number]>).map(([n]) => n);
    expect(numbers).toContain(bestNumber);
  });

  it("draws intermediate values and the timeline, which need no target", () => {
    const study = moStudy();
    expect(plotIntermediateValues(study).data).toHaveLength(27);
    expect(plotIntermediateValues(study, { maxTrials: 5 }).data).toHaveLength(5);
    expect(figureMessage(plotTimeline(study, { now: new Date("2026-01-01T00:01:00Z") }))).toBeNull();
  });
});
