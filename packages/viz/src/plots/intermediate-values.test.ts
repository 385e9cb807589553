import { describe, expect, it } from "vitest";
import { figureMessage } from "../figure.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { plotIntermediateValues } from "./intermediate-values.js";

describe("plotIntermediateValues", () => {
  const curves = [
    trial(0, { value: 0.1, intermediateValues: { 0: 0.5, 2: 0.1, 1: 0.3 } }),
    trial(1, { state: "PRUNED", value: 0.9, intermediateValues: { 0: 0.9 } }),
    trial(2, { value: 0.2 }),
  ];

  it("draws one line per reporting trial, in step order", () => {
    const fig = plotIntermediateValues(snapshot(curves));
    expect(fig.layout.title.text).toBe("Intermediate Values Plot");
    expect(fig.data.map((d) => d.name)).toEqual(["Trial0", "Trial1"]);
    expect(fig.data[0]).toMatchObject({ x: [0, 1, 2], y: [0.5, 0.3, 0.1] });
  });

  it("merges many trials into one line per state", () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      trial(i, { state: i % 3 === 0 ? "PRUNED" : "COMPLETE", value: i, intermediateValues: { 0: i, 1: i / 2 } }),
    );
    const fig = plotIntermediateValues(snapshot(many));
    expect(fig.data.map((d) => d.name)).toEqual(["Complete", "Pruned"]);
    expect((fig.data[1]!.x as unknown[]).slice(0, 6)).toEqual([0, 1, null, 0, 1, null]);
    expect((fig.data[1]!.customdata as unknown[]).slice(0, 4)).toEqual([0, 0, null, 3]);
  });

  it("says so when no trial reported", () => {
    expect(figureMessage(plotIntermediateValues(snapshot([trial(0, { value: 1 })], "minimize", "s")))).toBe(
      'No trial of study "s" reported intermediate values (trial.report(value, step)).',
    );
  });
});
