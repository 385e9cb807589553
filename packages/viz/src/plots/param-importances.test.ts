import { categoricalDistribution, floatDistribution, intDistribution, MeanDecreaseImpurityImportanceEvaluator, Rng } from "@shoal/core";
import { describe, expect, it } from "vitest";
import { figureMessage } from "../figure.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { plotParamImportances } from "./param-importances.js";

const distributions = {
  x: floatDistribution("x", 0, 1),
  lr: floatDistribution("lr", 1e-4, 1, { log: true }),
  n: intDistribution("n", 1, 10),
  kind: categoricalDistribution("kind", ["a", "b"]),
};

function study(nTrials: number) {
  const rng = new Rng(3);
  return snapshot(
    Array.from({ length: nTrials }, (_, i) => {
      const params = { x: rng.random(), lr: 10 ** rng.uniform(-4, 0), n: 1 + rng.int(10), kind: rng.random() < 0.5 ? "a" : "b" };
      return trial(i, { params, distributions, value: 10 * params.x + Math.log10(params.lr) });
    }),
  );
}

describe("plotParamImportances", () => {
  it("draws sorted horizontal bars, the most important on top", () => {
    const fig = plotParamImportances(study(80));
    expect(fig.layout.title.text).toBe("Hyperparameter Importances");
    const bars = fig.data[0]!;
    expect(bars).toMatchObject({ type: "bar", orientation: "h" });
    const x = bars.x as number[];
    const y = bars.y as string[];
    expect(y[y.length - 1]).toBe("x");
    expect(y[y.length - 2]).toBe("lr");
    expect([...x]).toEqual([...x].sort((a, b) => a - b));
    expect(x.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    // Optuna's colours by distribution kind.
    const colors = (bars.marker as { color: string[] }).color;
    expect(colors[y.indexOf("lr")]).toBe("#ff7f0e");
    expect(colors[y.indexOf("kind")]).toBe("#8c564b");
  });

  it("uses given importances or evaluator", () => {
    const given = plotParamImportances(study(5), { importances: { a: 0.25, b: 0.75 } });
    expect(given.data[0]).toMatchObject({ y: ["a", "b"], x: [0.25, 0.75], text: ["0.25", "0.75"] });
    const mdi = plotParamImportances(study(60), { evaluator: new MeanDecreaseImpurityImportanceEvaluator() });
    expect((mdi.data[0]!.y as string[]).at(-1)).toBe("x");
  });

  it("says why with fewer than two completed trials", () => {
    const fig = plotParamImportances(snapshot([trial(0, { value: 1, params: { x: 0.5 } })], "minimize", "tiny"));
    expect(fig.data).toEqual([]);
    expect(figureMessage(fig)).toBe('Study "tiny" has one completed trial: importances need at least two.');
  });
});
