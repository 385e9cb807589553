import { describe, expect, it } from "vitest";
import { figureMessage } from "../figure.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { plotOptimizationHistory } from "./optimization-history.js";

const values = [5, 3, 4, 1, 2];

describe("plotOptimizationHistory", () => {
  it("plots each completed trial's value and the best so far when minimising", () => {
    const fig = plotOptimizationHistory(snapshot(values.map((v, i) => trial(i, { value: v }))));
    expect(fig.layout.title.text).toBe("Optimization History Plot");
    const [points, best] = fig.data;
    expect(points).toMatchObject({ type: "scatter", mode: "markers", name: "Objective Value", x: [0, 1, 2, 3, 4], y: values });
    expect(best).toMatchObject({ name: "Best Value", x: [0, 1, 2, 3, 4], y: [5, 3, 3, 1, 1] });
    expect(fig.layout.xaxis).toMatchObject({ title: { text: "Trial" } });
    expect(fig.layout.yaxis).toMatchObject({ title: { text: "Objective Value" } });
  });

  it("tracks the maximum when maximising", () => {
    const fig = plotOptimizationHistory(snapshot(values.map((v, i) => trial(i, { value: v })), "maximize"));
    expect(fig.data[1]?.y).toEqual([5, 5, 5, 5, 5]);
    const rising = plotOptimizationHistory(snapshot([1, 3, 2, 4].map((v, i) => trial(i, { value: v })), "maximize"));
    expect(rising.data[1]?.y).toEqual([1, 3, 3, 4]);
  });

  it("shows pruned trials apart, never as best, and says how many failed", () => {
    const fig = plotOptimizationHistory(
      snapshot([
        trial(0, { value: 3 }),
        trial(1, { state: "PRUNED", value: 0.5 }),
        trial(2, { state: "FAIL" }),
        trial(3, { value: 2 }),
        trial(4, { state: "FAIL" }),
        trial(5, { state: "RUNNING", datetimeComplete: null }),
      ]),
    );
    expect(fig.data.map((d) => d.name)).toEqual(["Objective Value", "Best Value", "Pruned Trial"]);
    expect(fig.data[0]?.x).toEqual([0, 3]);
    expect(fig.data[1]?.y).toEqual([3, 2]);
    expect(fig.data[2]).toMatchObject({ x: [1], y: [0.5] });
    expect(fig.layout.title.subtitle?.text).toBe("2 failed trials not shown");
  });

  it("draws infeasible trials in grey, never as best, as Optuna", () => {
    const fig = plotOptimizationHistory(
      snapshot([
        trial(0, { value: 3 }),
        trial(1, { value: 0.5, systemAttrs: { constraints: [1, -1] } }),
        trial(2, { value: 2, systemAttrs: { constraints: [0] } }),
      ]),
    );
    expect(fig.data.map((d) => d.name)).toEqual(["Objective Value", "Best Value", "Infeasible Trial"]);
    expect(fig.data[0]).toMatchObject({ x: [0, 2], y: [3, 2] });
    expect(fig.data[1]).toMatchObject({ x: [0, 2], y: [3, 2] });
    expect(fig.data[2]).toMatchObject({ x: [1], y: [0.5], marker: { color: "#cccccc" } });
    const allInfeasible = plotOptimizationHistory(snapshot([trial(0, { value: 1, systemAttrs: { constraints: [1] } })]));
    expect(allInfeasible.data.map((d) => d.name)).toEqual(["Objective Value", "Infeasible Trial"]);
  });

  it("leaves pruned trials out when asked", () => {
    const fig = plotOptimizationHistory(snapshot([trial(0, { value: 3 }), trial(1, { state: "PRUNED", value: 0.5 })]), { includePruned: false });
    expect(fig.data.map((d) => d.name)).toEqual(["Objective Value", "Best Value"]);
  });

  it("plots a custom target without a best line, as Optuna", () => {
    const fig = plotOptimizationHistory(snapshot(values.map((v, i) => trial(i, { value: v, duration: v * 100 }))), {
      target: (t) => t.duration as number,
      targetName: "Duration (ms)",
    });
    expect(fig.data).toHaveLength(1);
    expect(fig.data[0]).toMatchObject({ name: "Duration (ms)", y: [500, 300, 400, 100, 200] });
  });

  it("says so when no trial has completed", () => {
    const fig = plotOptimizationHistory(snapshot([trial(0, { state: "FAIL" })], "minimize", "s1"));
    expect(fig.data).toEqual([]);
    expect(figureMessage(fig)).toBe('Study "s1" has no completed trials yet: nothing to plot.');
    expect(fig.layout.annotations).toMatchObject([{ text: figureMessage(fig) }]);
  });
});
