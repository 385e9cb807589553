import { describe, expect, it } from "vitest";
import { PlotOptionError, SingleObjectiveStudyError } from "../errors.js";
import { figureMessage } from "../figure.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { defaultReferencePoint, plotHypervolumeHistory } from "./hypervolume-history.js";

// Both minimised, reference (5, 5). By hand: (4,4) -> 1; (2,3) -> 3 x 2 = 6 (covers (4,4)'s box);
// (3,1) -> 6 + 2 x 4 - 2 x 2 (the overlap [3,5]x[3,5]) = 10; then an infeasible (0,0) and a
// dominated (4,4.5) change nothing.
const minimized = [
  trial(0, { values: [4, 4] }),
  trial(1, { values: [2, 3] }),
  trial(2, { state: "FAIL" }),
  trial(3, { values: [3, 1] }),
  trial(4, { values: [0, 0], systemAttrs: { constraints: [1] } }),
  trial(5, { values: [4, 4.5], systemAttrs: { constraints: [0] } }),
];

describe("plotHypervolumeHistory", () => {
  it("plots the front's hypervolume after each completed trial, by trial number", () => {
    const fig = plotHypervolumeHistory(snapshot(minimized, ["minimize", "minimize"]), [5, 5]);
    expect(fig.layout.title.text).toBe("Hypervolume History Plot");
    expect(fig.data).toHaveLength(1);
    expect(fig.data[0]).toMatchObject({ type: "scatter", mode: "lines+markers", x: [0, 1, 3, 4, 5], y: [1, 6, 10, 10, 10] });
    expect(fig.layout.xaxis).toMatchObject({ title: { text: "Trial" } });
    expect(fig.layout.yaxis).toMatchObject({ title: { text: "Hypervolume" } });
  });

  it("negates maximised objectives and their reference value, as Optuna", () => {
    const maximized = minimized.map((t) => (t.values === null ? t : { ...t, values: [t.values[0]!, -t.values[1]!] }));
    const fig = plotHypervolumeHistory(snapshot(maximized, ["minimize", "maximize"]), [5, -5]);
    expect(fig.data[0]?.y).toEqual([1, 6, 10, 10, 10]);
    // A reference point on the wrong side of a maximised objective bounds nothing.
    expect(plotHypervolumeHistory(snapshot(maximized, ["minimize", "maximize"]), [5, 5]).data[0]?.y).toEqual([0, 0, 0, 0, 0]);
  });

  it("computes three objectives", () => {
    const fig = plotHypervolumeHistory(snapshot([trial(0, { values: [1, 1, 1] }), trial(1, { values: [0, 1, 1] })], ["minimize", "minimize", "minimize"]), [2, 2, 2]);
    expect(fig.data[0]?.y).toEqual([1, 2]);
  });

  it("says so when no trial has completed, and notes when none is feasible", () => {
    expect(figureMessage(plotHypervolumeHistory(snapshot([trial(0, { state: "FAIL" })], ["minimize", "minimize"], "mo"), [1, 1]))).toBe(
      'Study "mo" has no completed trials yet: nothing to plot.',
    );
    const fig = plotHypervolumeHistory(snapshot([trial(0, { values: [0, 0], systemAttrs: { constraints: [1] } })], ["minimize", "minimize"]), [1, 1]);
    expect(fig.data[0]?.y).toEqual([0]);
    expect(fig.layout.title.subtitle?.text).toBe("no completed trial is feasible, so the hypervolume stays 0");
  });

  it("refuses a single-objective study and a reference point that does not fit", () => {
    expect(() => plotHypervolumeHistory(snapshot([trial(0, { value: 1 })], "minimize", "single"), [1])).toThrow(
      new SingleObjectiveStudyError("plotHypervolumeHistory", "single", "plotOptimizationHistory"),
    );
    const study = snapshot(minimized, ["minimize", "maximize"], "mo");
    const call = () => plotHypervolumeHistory(study, [5, 5, 5]);
    expect(call).toThrow(PlotOptionError);
    expect(call).toThrow('plotHypervolumeHistory: option `referencePoint` has 3 numbers, and study "mo" has 2 objectives (minimize, maximize): give one per objective.');
    expect(() => plotHypervolumeHistory(study, [5, Number.NaN])).toThrow("plotHypervolumeHistory: option `referencePoint` must hold finite numbers; entry 1 is NaN.");
  });
});

describe("defaultReferencePoint", () => {
  it("is the worst feasible value of each objective, 10% of its range further from the front", () => {
    const study = snapshot(
      [
        trial(0, { values: [1, 10] }),
        trial(1, { values: [3, 20] }),
        // Infeasible and failed trials do not move it.
        trial(2, { values: [100, -100], systemAttrs: { constraints: [1] } }),
        trial(3, { state: "FAIL" }),
      ],
      ["minimize", "maximize"],
    );
    const reference = defaultReferencePoint(study) as number[];
    expect(reference[0]).toBeCloseTo(3.2, 12);
    expect(reference[1]).toBeCloseTo(9, 12);
    // Every feasible trial lies strictly inside it, so each front trial adds volume.
    expect(plotHypervolumeHistory(study, reference).data[0]?.y).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
    expect((plotHypervolumeHistory(study, reference).data[0]?.y as number[])[0]).toBeGreaterThan(0);
  });

  it("uses 10% of the value, or 1 at zero, when an objective never varied; null without a feasible trial", () => {
    expect(defaultReferencePoint(snapshot([trial(0, { values: [2, 0] })], ["minimize", "minimize"]))).toEqual([2.2, 1]);
    expect(defaultReferencePoint(snapshot([trial(0, { values: [-2, 0] })], ["minimize", "maximize"]))).toEqual([-1.8, -1]);
    expect(defaultReferencePoint(snapshot([trial(0, { values: [1, 1], systemAttrs: { constraints: [1] } })], ["minimize", "minimize"]))).toBeNull();
  });
});
