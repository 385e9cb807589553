import { categoricalDistribution, floatDistribution, type FrozenTrial } from "@shoal/core";
import { describe, expect, it } from "vitest";
import { figureMessage } from "../figure.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { plotContour } from "./contour.js";

const distributions = {
  x: floatDistribution("x", 0, 1),
  lr: floatDistribution("lr", 1e-4, 1, { log: true }),
  kind: categoricalDistribution("kind", ["a", "b"]),
};

const trials = [
  trial(0, { value: 1, params: { x: 0, lr: 1e-4, kind: "a" }, distributions }),
  trial(1, { value: 2, params: { x: 1, lr: 1, kind: "b" }, distributions }),
  trial(2, { value: 3, params: { x: 1, lr: 1e-4, kind: "a" }, distributions }),
  trial(3, { value: 5, params: { x: 0.98, lr: 1.1e-4, kind: "a" }, distributions }),
];

describe("plotContour", () => {
  it("draws one contour of two params on a grid, with the trials as markers", () => {
    const fig = plotContour(snapshot(trials), { params: ["x", "lr"], gridSize: 3 });
    expect(fig.layout.title.text).toBe("Contour Plot");
    const [contour, markers] = fig.data;
    expect(contour).toMatchObject({ type: "contour", connectgaps: true, x: [0, 0.5, 1] });
    const y = contour!.y as number[];
    expect(y[0]).toBeCloseTo(1e-4, 12);
    expect(y[1]).toBeCloseTo(1e-2, 12);
    expect(y[2]).toBeCloseTo(1, 12);
    // Trials 2 and 3 share the cell (x=1, lr=1e-4): their mean.
    expect(contour!.z).toEqual([
      [1, null, 4],
      [null, null, null],
      [null, null, 2],
    ]);
    expect(markers).toMatchObject({ type: "scatter", x: [0, 1, 1, 0.98], y: [1e-4, 1, 1e-4, 1.1e-4] });
    expect(fig.layout.xaxis).toMatchObject({ type: "linear", title: { text: "x" } });
    expect(fig.layout.yaxis).toMatchObject({ type: "log", title: { text: "lr" } });
  });

  it("makes a matrix for more params, with categorical axes", () => {
    const fig = plotContour(snapshot(trials), { gridSize: 4 });
    expect(fig.data.filter((d) => d.type === "contour")).toHaveLength(6);
    const kindAxis = Object.values(fig.layout).find((a) => (a as { type?: string } | null)?.type === "category");
    expect(kindAxis).toMatchObject({ categoryarray: ["a", "b"] });
  });

  it("says a param with one value cannot span a contour", () => {
    const fixed: FrozenTrial[] = trials.map((t) => ({ ...t, params: { ...t.params, kind: "a" } }));
    const fig = plotContour(snapshot(fixed), { params: ["x", "kind"] });
    expect(figureMessage(fig)).toBe('Parameter "kind" has only one value ("a") in the completed trials, so it cannot span a contour.');
    const byDefault = plotContour(snapshot(fixed.map((t) => ({ ...t, params: { x: t.params.x ?? 0, kind: "a" } }))));
    expect(figureMessage(byDefault)).toBe('A contour plot needs two parameters with more than one value; study "test-study" has only "x".');
  });
});
