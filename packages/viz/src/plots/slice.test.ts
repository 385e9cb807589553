import { categoricalDistribution, floatDistribution } from "@shoal/core";
import { describe, expect, it } from "vitest";
import { figureMessage } from "../figure.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { plotSlice } from "./slice.js";

const distributions = {
  lr: floatDistribution("lr", 1e-4, 1, { log: true }),
  batch: categoricalDistribution("batch", [16, 32, 64]),
  x: floatDistribution("x", -1, 1),
};

describe("plotSlice", () => {
  const trials = [
    trial(0, { value: 3, params: { lr: 1e-3, batch: 32, x: 0.5 }, distributions }),
    trial(1, { state: "PRUNED", value: 9, params: { lr: 1e-2, batch: 16, x: 0 }, distributions }),
    trial(2, { value: 1, params: { lr: 1e-1, batch: 64, x: -0.5 }, distributions }),
  ];
  const fig = plotSlice(snapshot(trials));

  it("has one subplot per param, sharing the objective axis", () => {
    expect(fig.layout.title.text).toBe("Slice Plot");
    expect(fig.data.map((d) => [d.name, d.xaxis, d.yaxis])).toEqual([
      ["batch", "x", "y"],
      ["lr", "x2", "y"],
      ["x", "x3", "y"],
    ]);
    expect(fig.layout.yaxis).toMatchObject({ title: { text: "Objective Value" } });
  });

  it("plots completed trials' params and values, coloured by trial number", () => {
    const lr = fig.data[1]!;
    expect(lr.x).toEqual([1e-3, 1e-1]);
    expect(lr.y).toEqual([3, 1]);
    expect(lr.marker).toMatchObject({ color: [0, 2], showscale: false });
    expect(fig.data[0]!.marker).toMatchObject({ showscale: true, colorbar: { title: { text: "Trial" } } });
  });

  it("gives log params a log axis and categorical params their choices", () => {
    expect(fig.layout.xaxis2).toMatchObject({ type: "log", title: { text: "lr" } });
    expect(fig.layout.xaxis).toMatchObject({ type: "category", categoryarray: ["16", "32", "64"] });
    expect(fig.data[0]!.x).toEqual(["32", "64"]);
    expect(fig.layout.xaxis3).toMatchObject({ type: "linear" });
  });

  it("plots a one-valued param as a column of points", () => {
    const one = plotSlice(snapshot([trial(0, { value: 1, params: { x: 2 } }), trial(1, { value: 3, params: { x: 2 } })]));
    expect(one.data[0]).toMatchObject({ x: [2, 2], y: [1, 3] });
  });

  it("says so when no trial has completed", () => {
    expect(figureMessage(plotSlice(snapshot([trial(0, { state: "RUNNING" })])))).toContain("no completed trials yet");
  });
});
