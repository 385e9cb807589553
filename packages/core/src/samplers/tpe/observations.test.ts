import { describe, expect, it } from "vitest";
import type { Distribution, ParamValue } from "../../distributions.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import { ObservationStore } from "./observation-store.js";
import { ObservationGatherer, sideOf } from "./observations.js";
import { toDimension } from "./param-transform.js";
import { COMPLETE, frozenTrial, PRUNED, RUNNING } from "./test-fixtures/trials.js";

const x: Distribution = { kind: "float", low: 0, high: 10, step: null, log: false };
const xLog: Distribution = { kind: "float", low: 1, high: 100, step: null, log: true };
const c: Distribution = { kind: "categorical", choices: ["a", "b", null] };

function trial(number: number, params: Record<string, ParamValue>, state: FrozenTrial["state"] = COMPLETE): FrozenTrial {
  const all: Record<string, Distribution> = { x, c, y: x };
  const distributions = Object.fromEntries(Object.keys(params).map((k) => [k, all[k] as Distribution]));
  return frozenTrial(number, state, state === COMPLETE ? 0 : null, params, distributions);
}

/** Weights equal to the age rank + 1, so each observation's weight tells its place in trial order. */
const byAge = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

function gatherer(trials: FrozenTrial[]): ObservationGatherer {
  const store = new ObservationStore();
  // As the TrialLedger hands them on: the finished ones, each once.
  store.add(trials.filter((t) => t.state === COMPLETE || t.state === PRUNED));
  return new ObservationGatherer(store, byAge);
}

describe("ObservationGatherer", () => {
  const trials = [
    trial(0, { x: 5, c: "a" }),
    trial(1, { c: "b" }), // no x: no observation of x
    trial(2, { x: 1, c: null }, PRUNED),
    trial(3, { x: 9, c: "a" }),
    trial(4, { x: 3 }),
    trial(5, { x: 7, c: "b" }, RUNNING), // constant liar: read directly, not from the store
  ];

  it("gives a numeric parameter sorted by value, each with the weight of its age", () => {
    const g = gatherer(trials);
    const obs = g.gather(sideOf(trials), ["x"], [toDimension(x)]);
    expect(obs.n).toBe(5);
    expect(Array.from(obs.columns[0]!.subarray(0, 5))).toEqual([1, 3, 5, 7, 9]);
    // Ages among the observations: trial 0 -> 1st, 2 -> 2nd, 3 -> 3rd, 4 -> 4th, 5 -> 5th.
    expect(Array.from(obs.weights.subarray(0, 5))).toEqual([2, 4, 1, 5, 3]);
  });

  it("gives several parameters row by row in trial order, only trials that have all of them", () => {
    const g = gatherer(trials);
    const obs = g.gather(sideOf(trials), ["c", "x"], [toDimension(c), toDimension(x)]);
    expect(obs.n).toBe(4);
    expect(Array.from(obs.columns[0]!.subarray(0, 4))).toEqual([0, 2, 0, 1]);
    expect(Array.from(obs.columns[1]!.subarray(0, 4))).toEqual([5, 1, 9, 7]);
    expect(Array.from(obs.weights.subarray(0, 4))).toEqual([1, 2, 3, 4]);
  });

  it("reads only its side's trials, and leaves out values outside today's range", () => {
    const g = gatherer(trials);
    const side = sideOf([trials[0]!, trials[3]!, trials[4]!]);
    const narrow: Distribution = { kind: "float", low: 2, high: 8, step: null, log: false };
    const obs = g.gather(side, ["x"], [toDimension(narrow)]);
    expect(Array.from(obs.columns[0]!.subarray(0, obs.n))).toEqual([3, 5]);
    expect(Array.from(obs.weights.subarray(0, obs.n))).toEqual([2, 1]);
  });

  it("works in the transformed space of log parameters", () => {
    const logTrials = [trial(0, { x: 10 }), trial(1, { x: 100 })].map((t) => ({
      ...t,
      distributions: { x: xLog },
    }));
    const obs = gatherer(logTrials).gather(sideOf(logTrials), ["x"], [toDimension(xLog)]);
    expect(Array.from(obs.columns[0]!.subarray(0, 2))).toEqual([Math.log(10), Math.log(100)]);
  });

  it("has one spare slot in each array, for the prior", () => {
    const obs = gatherer(trials).gather(sideOf(trials), ["x"], [toDimension(x)]);
    expect(obs.columns[0]!.length).toBeGreaterThan(obs.n);
    expect(obs.weights.length).toBe(obs.n + 1);
  });
});
