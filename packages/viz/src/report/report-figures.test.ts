import { describe, expect, it } from "vitest";
import { figureMessage } from "../figure.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { reportFigures, reportPlotNames, REPORT_PLOT_NAMES } from "./report-figures.js";

const now = new Date("2026-01-01T00:01:00Z");

function study(objectives: number) {
  const trials = Array.from({ length: 12 }, (_, i) =>
    trial(i, { values: Array.from({ length: objectives }, (_, k) => ((i * (k + 3)) % 7) + k), params: { x: i / 12, y: (i * 5) % 12 } }),
  );
  return snapshot(trials, Array.from({ length: objectives }, (_, k) => (k === 1 ? "maximize" : "minimize")), "mo");
}

function context(objectives: number, referencePoint: number[] | null) {
  const objectiveNames = Array.from({ length: objectives }, (_, k) => `f${k}`);
  return { importances: objectiveNames.map(() => null), objectiveNames, referencePoint, now };
}

describe("reportFigures", () => {
  it("keeps a single-objective report's plots as they were", () => {
    expect(reportPlotNames(1)).toEqual([...REPORT_PLOT_NAMES]);
    const single = snapshot([trial(0, { value: 1, params: { x: 0 } }), trial(1, { value: 2, params: { x: 1 } })]);
    expect(reportFigures(single, { importances: [null], objectiveNames: ["Objective Value"], referencePoint: null, now }).map((f) => f.name)).toEqual([...REPORT_PLOT_NAMES]);
  });

  it("plots each objective as the target of the one-value plots, titled and grouped by objective", () => {
    const s = study(2);
    const figures = reportFigures(s, context(2, [10, -1]));
    expect(figures.map((f) => f.name)).toEqual(reportPlotNames(2));
    const history1 = figures.find((f) => f.name === "optimization-history-1")!;
    expect(history1.objective).toBe(1);
    expect(history1.figure.layout.title.text).toBe("Optimization History Plot: f1");
    const values1 = s.getTrials().map((t) => t.values![1]!);
    expect(history1.figure.data[0]).toMatchObject({ name: "f1", y: values1 });
    // f1 is maximised: the best line is a running maximum.
    expect(history1.figure.data[1]?.y).toEqual(values1.map((_, i) => Math.max(...values1.slice(0, i + 1))));
    expect(figures.find((f) => f.name === "hypervolume-history")!.figure.layout.title.subtitle?.text).toBe("reference point [10, -1]");
    expect(figures.filter((f) => f.objective === undefined).map((f) => f.name)).toEqual(["pareto-front", "hypervolume-history", "intermediate-values", "timeline"]);
  });

  it("draws three objectives in 3-D, and the first three of four with a note", () => {
    const three = reportFigures(study(3), context(3, [10, -1, 10]))[0]!;
    expect(three.figure.data.map((d) => d.type)).toEqual(["scatter3d", "scatter3d"]);
    const four = reportFigures(study(4), context(4, [10, -1, 10, 10]))[0]!;
    expect(four.figure.data.map((d) => d.type)).toEqual(["scatter3d", "scatter3d"]);
    expect(four.figure.layout.title.subtitle?.text).toBe("f0, f1, f2 of the 4 objectives (the front is that of all 4); plotParetoFront's `targets` picks others");
    expect(four.figure.layout.scene).toMatchObject({ zaxis: { title: { text: "f2" } } });
  });

  it("says why there is no hypervolume without a reference point", () => {
    const hv = reportFigures(study(2), context(2, null))[1]!;
    expect(figureMessage(hv.figure)).toBe('Study "mo" has no feasible completed trial: no hypervolume to plot.');
  });
});
