import {
  categoricalDistribution,
  floatDistribution,
  intDistribution,
  SearchSpaceError,
  type BaseTrial,
  type Distribution,
} from "@shoal/core";
import { describe, expect, it } from "vitest";
import { presampledAnswers, replayLocalAnswers, serveTrialCall } from "./serve-trial-call.js";
import { quietStudy } from "./test-fixtures/harness.js";

describe("presampledAnswers", () => {
  it("offers only names in both records whose distribution core rebuilds unchanged", () => {
    const distributions: Record<string, Distribution> = {
      x: floatDistribution("x", 0, 1),
      lr: floatDistribution("lr", 1e-4, 1, { log: true }),
      k: intDistribution("k", 0, 9, { step: 3 }),
      c: categoricalDistribution("c", ["a", "b"]),
      noValue: floatDistribution("noValue", 0, 1),
      offGrid: { kind: "float", low: 0, high: 1, step: 0.3, log: false },
      reversed: { kind: "int", low: 5, high: 1, step: 1, log: false },
      logAndStep: { kind: "float", low: 1, high: 2, step: 0.5, log: true },
      noChoices: { kind: "categorical", choices: [] },
    };
    const params = { x: 2, lr: 0.01, k: 3, c: "b", offGrid: 0.3, reversed: 2, logAndStep: 1.5, noChoices: "a", noDistribution: 1 };
    const answers = presampledAnswers({ params, distributions });
    // x lies outside its range: a fixed value may, and is offered all the same.
    expect(answers).toEqual([
      { name: "x", value: 2, distribution: distributions.x },
      { name: "lr", value: 0.01, distribution: distributions.lr },
      { name: "k", value: 3, distribution: distributions.k },
      { name: "c", value: "b", distribution: distributions.c },
    ]);
  });
});

describe("replayLocalAnswers", () => {
  const answers = presampledAnswers({
    params: { x: 0.5, lr: 0.01, k: 3, n: 2, c: null },
    distributions: {
      x: floatDistribution("x", 0, 1),
      lr: floatDistribution("lr", 1e-4, 1, { log: true }),
      k: intDistribution("k", 0, 9, { step: 3 }),
      n: intDistribution("n", 1, 4),
      c: categoricalDistribution("c", ["a", null]),
    },
  });

  it("replays each logged answer in order with the suggest call of its distribution, defaults left out", () => {
    const calls: unknown[][] = [];
    const trial = new Proxy({} as BaseTrial, {
      get: (_target, method) => (...args: unknown[]) => void calls.push([method, ...args]),
    });
    expect(replayLocalAnswers(trial, answers, [4, 0, 1, 2, 3, 0])).toBeNull();
    expect(calls).toEqual([
      ["suggestCategorical", "c", ["a", null]],
      ["suggestFloat", "x", 0, 1],
      ["suggestFloat", "lr", 1e-4, 1, { log: true }],
      ["suggestInt", "k", 0, 9, { step: 3 }],
      ["suggestInt", "n", 1, 4],
      ["suggestFloat", "x", 0, 1],
    ]);
  });

  it("records the offered values on a real trial, which then answers repeats the same", () => {
    const trial = quietStudy().ask();
    // A core Trial samples its own values: this checks the replay calls, not the values.
    expect(replayLocalAnswers(trial, answers, [0, 1, 2, 3, 4])).toBeNull();
    expect(trial.distributions).toEqual(Object.fromEntries(answers.map((a) => [a.name, a.distribution])));
    expect(serveTrialCall(trial, { method: "suggestFloat", args: ["x", 0, 1] })).toEqual({
      ok: true,
      value: trial.params.x,
      distribution: answers[0]?.distribution,
    });
  });

  it("stops at the first replay that throws and returns its error", () => {
    const calls: string[] = [];
    const trial = {
      suggestFloat: (name: string) => {
        calls.push(name);
        throw new SearchSpaceError(name, "refused.");
      },
      suggestInt: (name: string) => void calls.push(name),
    } as unknown as BaseTrial;
    expect(replayLocalAnswers(trial, answers, [3, 0, 2])).toMatchObject({
      name: "SearchSpaceError",
      message: 'Invalid search space for parameter "x": refused.',
    });
    expect(calls).toEqual(["n", "x"]);
    expect(replayLocalAnswers(trial, answers, [9])).toMatchObject({ message: expect.stringMatching(/internal error/) });
  });
});
