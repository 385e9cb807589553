import { describe, expect, it } from "vitest";
import { figureMessage } from "../figure.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { plotEdf } from "./edf.js";

describe("plotEdf", () => {
  it("rises from the smallest value to 1 at the largest", () => {
    const fig = plotEdf(snapshot([4, 1, 3, 2].map((v, i) => trial(i, { value: v }))), { points: 4 });
    expect(fig.layout.title.text).toBe("Empirical Distribution Function Plot");
    expect(fig.data[0]).toMatchObject({ x: [1, 2, 3, 4], y: [0.25, 0.5, 0.75, 1] });
  });

  it("says so when no trial has completed", () => {
    expect(figureMessage(plotEdf(snapshot([])))).toContain("no completed trials yet");
  });
});
