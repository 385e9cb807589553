import {
  categoricalDistribution,
  distributionsEqual,
  floatDistribution,
  intDistribution,
  type Distribution,
} from "@shoal/core";
import { describe, expect, it } from "vitest";
import { AnswerLog } from "../thread-protocol/answer-log.js";
import type { SuggestCall } from "../thread-protocol/output.js";
import { presampledAnswers } from "../serve-trial-call.js";
import { LocalAnswers, requestsExactly, sameDistribution } from "./local-answers.js";

// Only what core builds and rebuilds unchanged is ever offered (see presampledAnswers).
const offered: Record<string, Distribution> = {
  plain: floatDistribution("plain", -10, 10),
  log: floatDistribution("log", 1e-3, 1, { log: true }),
  grid: floatDistribution("grid", 0, 1, { step: 0.3 }), // high becomes 0.9
  int: intDistribution("int", 1, 9),
  intGrid: intDistribution("intGrid", 0, 10, { step: 3 }), // high becomes 9
  intLog: intDistribution("intLog", 1, 64, { log: true }),
  cat: categoricalDistribution("cat", ["a", 1, true, null]),
};

const float = (...args: unknown[]): SuggestCall => ({ method: "suggestFloat", args }) as unknown as SuggestCall;
const int = (...args: unknown[]): SuggestCall => ({ method: "suggestInt", args }) as unknown as SuggestCall;
const cat = (...args: unknown[]): SuggestCall => ({ method: "suggestCategorical", args }) as unknown as SuggestCall;

// Requests as objectives may write them, usual and odd: [call, names it must match exactly].
const requests: Array<[SuggestCall, string[]]> = [
  [float("n", -10, 10), ["plain"]],
  [float("n", -10, 10, {}), ["plain"]],
  [float("n", -10, 10, { log: false, step: undefined }), ["plain"]],
  [float("n", -10, 10, { log: null }), ["plain"]],
  [float("n", -10, 10, { step: null }), []], // core refuses a null step
  [float("n", -10, 10, null), []], // core cannot read null options
  [float("n", -10, 10, { log: 0 }), []], // core keeps log: 0, not false
  [float("n", -10, 11), []],
  [float("n", 10, -10), []],
  [float("n", "-10", 10), []],
  [float("n", 1e-3, 1, { log: true }), ["log"]],
  [float("n", 1e-3, 1, { log: true, step: undefined }), ["log"]],
  [float("n", 0, 0.9, { step: 0.3, log: false }), ["grid"]],
  [float("n", 1e-3, 1), []],
  [float("n", 0, 1, { step: 0.3 }), []], // core moves high to 0.9: not the request's fields
  [float("n", 0, 0.9, { step: 0.3 }), ["grid"]],
  [float("n", 1, 9), []],
  [int("n", 1, 9), ["int"]],
  [int("n", 1, 9, { step: 1 }), ["int"]],
  [int("n", 1, 9, { step: null }), []],
  [int("n", 1, 9, { step: "1" }), []],
  [int("n", 0, 10, { step: 3 }), []],
  [int("n", 0, 9, { step: 3 }), ["intGrid"]],
  [int("n", 1, 64, { log: true }), ["intLog"]],
  [int("n", 1, 64, { log: true, step: 1 }), []], // core refuses step with log
  [cat("n", ["a", 1, true, null]), ["cat"]],
  [cat("n", ["a", 1, true]), []],
  [cat("n", ["a", 1, null, true]), []],
  [cat("n", ["a", "1", true, null]), []],
  // eslint-disable-next-line no-sparse-arrays -- a hole: core refuses it, every() would skip it.
  [cat("n", ["a", 1, true, ,]), []],
  [cat("n", "a1"), []],
];

describe("requestsExactly", () => {
  it.each(requests)("%j matches exactly %j", (call, expected) => {
    const matched = Object.keys(offered).filter((name) => requestsExactly(call, offered[name] as Distribution));
    expect(matched).toEqual(expected);
  });

  it("agrees with core: a call that matches builds exactly the offered distribution", () => {
    const build = { suggestFloat: floatDistribution, suggestInt: intDistribution, suggestCategorical: categoricalDistribution };
    // The table, and every numeric offer asked for with odd options around its own fields.
    const calls = requests.map(([call]) => call);
    const optionVariants = (d: { step: number | null; log: boolean }): unknown[] => [
      undefined, {}, null, 5, { step: undefined }, { step: d.step }, { step: null }, { step: 1 }, { log: d.log },
      { log: !d.log }, { log: null }, { log: 0 }, { log: 1 }, { step: d.step, log: d.log }, { step: d.step, log: true },
      { step: 1, log: true }, { step: d.step, log: false },
    ];
    for (const d of Object.values(offered)) {
      if (d.kind === "categorical") continue;
      const make = d.kind === "int" ? int : float;
      for (const high of [d.high, d.high + 1]) {
        for (const options of optionVariants(d)) calls.push(make("n", d.low, high, options));
      }
    }
    let matches = 0;
    for (const call of calls) {
      for (const distribution of Object.values(offered)) {
        if (!requestsExactly(call, distribution)) continue;
        matches += 1;
        const built = (build[call.method] as (...args: unknown[]) => Distribution)(...call.args);
        expect(distributionsEqual(built, distribution), JSON.stringify(call)).toBe(true);
      }
    }
    expect(matches).toBeGreaterThan(20);
  });
});

describe("sameDistribution", () => {
  it("compares like core's distributionsEqual", () => {
    const all = Object.values(offered);
    for (const a of all) for (const b of all) expect(sameDistribution(a, b)).toBe(distributionsEqual(a, b));
    expect(sameDistribution(offered.cat as Distribution, categoricalDistribution("c", ["a", 1, true, null]))).toBe(true);
  });
});

describe("LocalAnswers", () => {
  const answers = presampledAnswers({ params: { plain: 0.5 }, distributions: { plain: offered.plain as Distribution } });

  it("finds an offered name asked for exactly, and nothing on Object.prototype", () => {
    const local = new LocalAnswers({ answers, log: new AnswerLog().buffer });
    expect(local.find(float("plain", -10, 10))).toEqual({ position: 0, answer: answers[0] });
    expect(local.find(float("plain", -10, 9))).toBeNull();
    expect(local.find(float("constructor", -10, 10))).toBeNull();
    expect(local.find(float(7, -10, 10))).toBeNull();
  });

  it("logs answers for the main thread until the log is full", () => {
    const log = new AnswerLog();
    const local = new LocalAnswers({ answers, log: log.buffer });
    const found = local.find(float("plain", -10, 10));
    if (found === null) throw new Error("plain should be found");
    for (let i = 0; i < AnswerLog.CAPACITY; i++) expect(local.log(found)).toBe(true);
    expect(local.log(found)).toBe(false);
    expect(log.drain()).toEqual(Array.from({ length: AnswerLog.CAPACITY }, () => 0));
    expect(log.drain()).toEqual([]);
    expect(local.log(found)).toBe(true);
  });
});
