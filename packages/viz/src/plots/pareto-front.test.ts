import { createLogger, createStudy, RandomSampler, type FrozenTrial } from "@shoal/core";
import { describe, expect, it } from "vitest";
import { PlotOptionError, SingleObjectiveStudyError } from "../errors.js";
import { figureMessage, type PlotlyTrace } from "../figure.js";
import { snapshot, trial } from "../test-fixtures/frozen-trials.js";
import { plotParetoFront } from "./pareto-front.js";

/** The trace named `name`, which must exist. */
function trace(data: PlotlyTrace[], name: string): PlotlyTrace {
  const found = data.find((d) => d.name === name);
  if (found === undefined) throw new Error(`no trace ${name} in ${data.map((d) => d.name).join(", ")}`);
  return found;
}

/** Numbers of the trials drawn by a trace: its marker colours are the trial numbers, except in grey. */
function numbersIn(t: PlotlyTrace): number[] {
  return (t.text as string[]).map((s) => Number(/^Trial (\d+)/.exec(s)?.[1]));
}

function constrained(number: number, values: number[], constraints: number[], params: Record<string, number> = { x: number }): FrozenTrial {
  return trial(number, { values, params, systemAttrs: { constraints } });
}

// Both minimised: 0, 1 and 3 are the front; 2 and 5 are dominated by 1; 4 would dominate all but is infeasible.
const twoD = [
  trial(0, { values: [1, 4], params: { x: 0 } }),
  trial(1, { values: [2, 2], params: { x: 1 } }),
  trial(2, { values: [3, 3], params: { x: 2 } }),
  trial(3, { values: [4, 1], params: { x: 3 } }),
  constrained(4, [0, 0], [0.5, -1]),
  constrained(5, [2.5, 2.5], [-1, 0]),
  trial(6, { state: "FAIL", params: { x: 6 } }),
  trial(7, { state: "RUNNING", datetimeComplete: null }),
];

describe("plotParetoFront", () => {
  it("splits a 2-objective study's trials into dominated, front and infeasible traces, as Optuna", () => {
    const fig = plotParetoFront(snapshot(twoD, ["minimize", "minimize"]));
    expect(fig.layout.title.text).toBe("Pareto-front Plot");
    expect(fig.data.map((d) => [d.type, d.name])).toEqual([
      ["scatter", "Trial"],
      ["scatter", "Best Trial"],
      ["scatter", "Infeasible Trial"],
    ]);
    const dominated = trace(fig.data, "Trial");
    const best = trace(fig.data, "Best Trial");
    const infeasible = trace(fig.data, "Infeasible Trial");
    expect(numbersIn(dominated)).toEqual([2, 5]);
    expect(dominated).toMatchObject({ mode: "markers", x: [3, 2.5], y: [3, 2.5], marker: { color: [2, 5], showscale: true, colorbar: { title: { text: "Trial" } } } });
    expect(numbersIn(best)).toEqual([0, 1, 3]);
    expect(best).toMatchObject({ x: [1, 2, 4], y: [4, 2, 1], marker: { color: [0, 1, 3], colorbar: { title: { text: "Best Trial" }, x: 1.1 } } });
    expect((best.marker as { colorscale: unknown[] }).colorscale[8]).toEqual([1, "rgb(103,0,13)"]);
    expect(numbersIn(infeasible)).toEqual([4]);
    expect(infeasible).toMatchObject({ x: [0], y: [0], marker: { color: "#cccccc" } });
    expect(fig.layout.xaxis).toMatchObject({ title: { text: "Objective 0" } });
    expect(fig.layout.yaxis).toMatchObject({ title: { text: "Objective 1" } });
  });

  it("shows the trial number, values and params on hover, escaping user text", () => {
    const fig = plotParetoFront(
      snapshot(
        [trial(0, { values: [1, 2], params: { "<lr>": 0.01, opt: "a&b" } }), constrained(1, [0, 0], [2], { "<lr>": 1 })],
        ["minimize", "minimize"],
      ),
    );
    expect(trace(fig.data, "Best Trial").text).toEqual(['Trial 0<br>values: [1, 2]<br>&lt;lr&gt;: 0.01<br>opt: &quot;a&amp;b&quot;']);
    expect(trace(fig.data, "Infeasible Trial").text).toEqual(["Trial 1<br>values: [0, 0]<br>&lt;lr&gt;: 1<br>constraints: [2] (infeasible)"]);
    expect(trace(fig.data, "Best Trial").hovertemplate).toBe("%{text}<extra>Best Trial</extra>");
  });

  it("leaves the dominated trials out when asked, and has no grey trace without constraints", () => {
    const plain = twoD.filter((t) => t.systemAttrs.constraints === undefined);
    const fig = plotParetoFront(snapshot(plain, ["minimize", "minimize"]), { includeDominatedTrials: false });
    expect(fig.data.map((d) => d.name)).toEqual(["Best Trial"]);
    expect(numbersIn(fig.data[0]!)).toEqual([0, 1, 3]);
    // No "Trial" colour bar beside it, so the best trials' bar takes its place.
    expect(fig.data[0]).toMatchObject({ marker: { colorbar: { x: 1 } } });
    expect(plotParetoFront(snapshot(plain, ["minimize", "minimize"])).data.map((d) => d.name)).toEqual(["Trial", "Best Trial"]);
  });

  it("follows each objective's direction", () => {
    const trials = [trial(0, { values: [1, 1] }), trial(1, { values: [2, 3] }), trial(2, { values: [3, 2] }), trial(3, { values: [0.5, 0] })];
    const minMax = plotParetoFront(snapshot(trials, ["minimize", "maximize"]));
    // (0.5, 0) has the smallest first value but the worst second: (1, 1) is not dominated by it.
    expect(numbersIn(trace(minMax.data, "Best Trial"))).toEqual([0, 1, 3]);
    expect(numbersIn(trace(minMax.data, "Trial"))).toEqual([2]);
    const maxMax = plotParetoFront(snapshot(trials, ["maximize", "maximize"]));
    expect(numbersIn(trace(maxMax.data, "Best Trial"))).toEqual([1, 2]);
  });

  it("draws three objectives as a scatter3d with titled scene axes", () => {
    const trials = [trial(0, { values: [1, 2, 3] }), trial(1, { values: [2, 2, 3] }), trial(2, { values: [3, 1, 0] }), constrained(3, [0, 0, 0], [1])];
    const fig = plotParetoFront(snapshot(trials, ["minimize", "minimize", "minimize"]), { targetNames: ["loss", "size", "latency"] });
    expect(fig.data.map((d) => d.type)).toEqual(["scatter3d", "scatter3d", "scatter3d"]);
    expect(trace(fig.data, "Best Trial")).toMatchObject({ x: [1, 3], y: [2, 1], z: [3, 0] });
    expect(numbersIn(trace(fig.data, "Trial"))).toEqual([1]);
    expect(numbersIn(trace(fig.data, "Infeasible Trial"))).toEqual([3]);
    expect(fig.layout.scene).toMatchObject({ xaxis: { title: { text: "loss" } }, yaxis: { title: { text: "size" } }, zaxis: { title: { text: "latency" } } });
    expect(fig.layout.xaxis).toBeUndefined();
  });

  it("puts the objectives on the axes in axisOrder, with their own names", () => {
    const fig = plotParetoFront(snapshot(twoD, ["minimize", "minimize"]), { axisOrder: [1, 0], targetNames: ["loss", "size"] });
    expect(trace(fig.data, "Best Trial")).toMatchObject({ x: [4, 2, 1], y: [1, 2, 4] });
    expect(fig.layout.xaxis).toMatchObject({ title: { text: "size" } });
    expect(fig.layout.yaxis).toMatchObject({ title: { text: "loss" } });
  });

  it("plots what `targets` picks, with the front still decided by every objective", () => {
    // Trial 1 is worse than trial 0 in objectives 0 and 1 but better in 3: on the 4-objective front.
    const trials = [trial(0, { values: [1, 1, 1, 5] }), trial(1, { values: [2, 2, 1, 0] }), trial(2, { values: [3, 3, 2, 6] })];
    const fig = plotParetoFront(snapshot(trials, ["minimize", "minimize", "minimize", "minimize"]), {
      targets: (t) => [t.values![0]!, t.values![1]!],
      targetNames: ["a", "b"],
    });
    expect(fig.data.map((d) => d.type)).toEqual(["scatter", "scatter"]);
    expect(numbersIn(trace(fig.data, "Best Trial"))).toEqual([0, 1]);
    expect(trace(fig.data, "Best Trial")).toMatchObject({ x: [1, 2], y: [1, 2] });
    expect(numbersIn(trace(fig.data, "Trial"))).toEqual([2]);
  });

  it("marks the same front as study.bestTrials on a live study", async () => {
    const study = createStudy({
      directions: ["minimize", "maximize"],
      sampler: new RandomSampler({ seed: 3 }),
      logger: createLogger({ sink: { write: () => undefined } }),
    });
    await study.optimize((t) => {
      const x = t.suggestFloat("x", 0, 1);
      const y = t.suggestFloat("y", 0, 1);
      return [x + y, x * (1 - y)];
    }, { nTrials: 40 });
    const fig = plotParetoFront(study);
    const best = study.bestTrials.map((t) => t.number);
    expect(best.length).toBeGreaterThan(1);
    expect(numbersIn(trace(fig.data, "Best Trial"))).toEqual(best);
    expect(numbersIn(trace(fig.data, "Trial")).length).toBe(40 - best.length);
  });

  it("says so when no trial has completed", () => {
    const fig = plotParetoFront(snapshot([trial(0, { state: "FAIL" })], ["minimize", "minimize"], "mo"));
    expect(figureMessage(fig)).toBe('Study "mo" has no completed trials yet: nothing to plot.');
  });

  it("notes that there is no front when every trial is infeasible", () => {
    const fig = plotParetoFront(snapshot([constrained(0, [1, 1], [1])], ["minimize", "minimize"]));
    expect(trace(fig.data, "Best Trial").x).toEqual([]);
    expect(numbersIn(trace(fig.data, "Infeasible Trial"))).toEqual([0]);
    expect(fig.layout.title.subtitle?.text).toBe("no completed trial is feasible, so there is no front");
  });

  it("refuses a single-objective study", () => {
    const call = () => plotParetoFront(snapshot([trial(0, { value: 1 })], "minimize", "single"));
    expect(call).toThrow(SingleObjectiveStudyError);
    expect(call).toThrow('plotParetoFront needs a study of two or more objectives, and study "single" has one: use plotOptimizationHistory instead.');
  });

  it("names the option when it does not fit the study", () => {
    const four = snapshot([trial(0, { values: [1, 2, 3, 4] })], ["minimize", "minimize", "minimize", "minimize"], "four");
    const errorOf = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error as PlotOptionError;
      }
      throw new Error("did not throw");
    };
    const noTargets = errorOf(() => plotParetoFront(four));
    expect(noTargets).toBeInstanceOf(PlotOptionError);
    expect(noTargets.option).toBe("targets");
    expect(noTargets.message).toBe(
      'plotParetoFront: option `targets` is needed: study "four" has 4 objectives and a Pareto-front plot draws 2 or 3; pick them with e.g. `targets: (t) => [t.values![0]!, t.values![1]!]`.',
    );
    const two = snapshot(twoD, ["minimize", "minimize"]);
    expect(errorOf(() => plotParetoFront(two, { targetNames: ["a"] })).message).toBe(
      "plotParetoFront: option `targetNames` has 1 names, and the plot has 2 objectives: give one name per objective, in the objectives' order.",
    );
    expect(errorOf(() => plotParetoFront(two, { axisOrder: [0, 0] })).message).toBe(
      "plotParetoFront: option `axisOrder` must be a permutation of the objectives' indices 0, 1 (one per axis, each once); got [0, 0].",
    );
    expect(errorOf(() => plotParetoFront(two, { axisOrder: [0, 1], targets: (t) => t.values! })).option).toBe("axisOrder");
    expect(errorOf(() => plotParetoFront(four, { targets: (t) => [t.values![0]!] })).message).toBe(
      "plotParetoFront: option `targets` must return 2 or 3 numbers (a 2-D or 3-D plot); for trial 0 it returned 1.",
    );
    expect(errorOf(() => plotParetoFront(four, { targets: (t) => t.number as unknown as number[] })).message).toBe(
      "plotParetoFront: option `targets` must return an array of 2 or 3 numbers; for trial 0 it returned number.",
    );
  });
});
