import { categoricalDistribution, floatDistribution, intDistribution } from "@shoal/core";
import { describe, expect, it } from "vitest";
import { figureMessage } from "../figure.js";
import { UnknownParamError } from "../errors.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { plotParallelCoordinate } from "./parallel-coordinate.js";

const distributions = {
  lr: floatDistribution("lr", 1e-4, 1, { log: true }),
  opt: categoricalDistribution("opt", ["sgd", "adam", "rmsprop"]),
  depth: intDistribution("depth", 1, 32),
};

const trials = [
  trial(0, { value: 0.3, params: { lr: 1e-3, opt: "adam", depth: 4 }, distributions }),
  trial(1, { value: 0.1, params: { lr: 1e-1, opt: "sgd", depth: 16 }, distributions }),
  trial(2, { value: 0.2, params: { lr: 1e-2, opt: "adam", depth: 8 }, distributions }),
  trial(3, { state: "FAIL", params: { lr: 1e-2, opt: "adam", depth: 8 }, distributions }),
];

type Dim = { label: string; values: number[]; range?: number[]; tickvals?: number[]; ticktext?: string[] };

describe("plotParallelCoordinate", () => {
  it("puts the objective first, then each param in name order, coloured by value", () => {
    const fig = plotParallelCoordinate(snapshot(trials));
    expect(fig.layout.title.text).toBe("Parallel Coordinate Plot");
    const trace = fig.data[0]!;
    expect(trace.type).toBe("parcoords");
    const dims = trace.dimensions as Dim[];
    expect(dims.map((d) => d.label)).toEqual(["Objective Value", "depth", "lr", "opt"]);
    expect(dims[0]).toMatchObject({ values: [0.3, 0.1, 0.2], range: [0.1, 0.3] });
    expect(dims[1]).toMatchObject({ values: [4, 16, 8], range: [4, 16] });
    expect(trace.line).toMatchObject({ color: [0.3, 0.1, 0.2], showscale: true, reversescale: true, colorbar: { title: { text: "Objective Value" } } });
  });

  it("draws log params in log10 with real-valued tick labels", () => {
    const dims = plotParallelCoordinate(snapshot(trials)).data[0]!.dimensions as Dim[];
    const lr = dims[2]!;
    expect(lr.values.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-3, -1, -2]);
    expect(lr.tickvals).toEqual([-3, -2, -1]);
    expect(lr.ticktext).toEqual(["0.001", "0.01", "0.1"]);
  });

  it("gives categorical params an axis of every choice", () => {
    const dims = plotParallelCoordinate(snapshot(trials)).data[0]!.dimensions as Dim[];
    expect(dims[3]).toMatchObject({ values: [1, 0, 1], tickvals: [0, 1, 2], ticktext: ["sgd", "adam", "rmsprop"], range: [0, 2] });
  });

  it("does not reverse the colours when maximising", () => {
    const fig = plotParallelCoordinate(snapshot(trials, "maximize"));
    expect(fig.data[0]!.line).toMatchObject({ reversescale: false });
  });

  it("caps the lines, keeping the best trial, and says so", () => {
    const many = Array.from({ length: 50 }, (_, i) => trial(i, { value: i === 37 ? -1 : i, params: { x: i } }));
    const fig = plotParallelCoordinate(snapshot(many), { maxTrials: 10 });
    const values = (fig.data[0]!.dimensions as Dim[])[0]!.values;
    expect(values).toHaveLength(11);
    expect(values).toContain(-1);
    expect(fig.layout.title.subtitle?.text).toBe("showing 11 of 50 trials (evenly spread, the best included)");
  });

  it("rejects an unknown param by name and says when nothing completed", () => {
    expect(() => plotParallelCoordinate(snapshot(trials), { params: ["nope"] })).toThrow(UnknownParamError);
    expect(() => plotParallelCoordinate(snapshot(trials), { params: ["nope"] })).toThrow('Parameter "nope" is not in the study; its parameters are "depth", "lr", "opt".');
    expect(figureMessage(plotParallelCoordinate(snapshot([])))).toContain("no completed trials");
  });
});
