import { describe, expect, it } from "vitest";
import { Rng } from "../rng.js";
import { RandomSampler } from "../samplers/random-sampler.js";
import { createStudy, type Study } from "../study.js";
import { captureLogger } from "../test-logger.js";
import { FanovaImportanceEvaluator } from "./fanova.js";
import { ImportanceError } from "./importance-error.js";
import { MeanDecreaseImpurityImportanceEvaluator } from "./mean-decrease-impurity.js";
import { getParamImportances } from "./param-importances.js";

/** A study of f(x, y, z) = 10x + y with z unused, sampled at random. */
async function linearStudy(nTrials = 200): Promise<Study> {
  const study = createStudy({ sampler: new RandomSampler({ seed: 1 }), logger: captureLogger().logger });
  await study.optimize(
    (t) => {
      const x = t.suggestFloat("x", 0, 1);
      const y = t.suggestFloat("y", 0, 1);
      t.suggestFloat("z", 0, 1);
      return 10 * x + y;
    },
    { nTrials },
  );
  return study;
}

describe("getParamImportances", () => {
  it("ranks x first and z near zero on 10x + y (fANOVA, the default)", async () => {
    const study = await linearStudy();
    const importances = getParamImportances(study);
    expect(Object.keys(importances)).toEqual(["x", "y", "z"]);
    const sum = Object.values(importances).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 10);
    // The exact shares of a linear function: 100/101 and 1/101.
    expect(importances.x).toBeGreaterThan(0.95);
    expect(importances.y).toBeGreaterThan(0.002);
    expect(importances.z).toBeLessThan(0.005);
  });

  it("ranks x first and z near zero with mean decrease in impurity", async () => {
    const study = await linearStudy();
    const importances = getParamImportances(study, { evaluator: new MeanDecreaseImpurityImportanceEvaluator() });
    expect(Object.keys(importances)).toEqual(["x", "y", "z"]);
    expect(importances.x).toBeGreaterThan(0.9);
    expect(importances.z).toBeLessThan(0.02);
  });

  it("gives the same result for the same seed, and the seed matters", async () => {
    const study = await linearStudy(60);
    const a = getParamImportances(study, { evaluator: new FanovaImportanceEvaluator({ seed: 5 }) });
    const b = getParamImportances(study, { evaluator: new FanovaImportanceEvaluator({ seed: 5 }) });
    const c = getParamImportances(study, { evaluator: new FanovaImportanceEvaluator({ seed: 6 }) });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const m1 = getParamImportances(study, { evaluator: new MeanDecreaseImpurityImportanceEvaluator({ seed: 5 }) });
    const m2 = getParamImportances(study, { evaluator: new MeanDecreaseImpurityImportanceEvaluator({ seed: 5 }) });
    expect(m1).toEqual(m2);
  });

  it("handles log and categorical parameters and a custom target", async () => {
    const study = createStudy({ sampler: new RandomSampler({ seed: 2 }), logger: captureLogger().logger });
    await study.optimize(
      (t) => {
        const lr = t.suggestFloat("lr", 1e-5, 1, { log: true });
        const kind = t.suggestCategorical("kind", ["a", "b", "c"]);
        t.suggestInt("unused", 1, 100, { log: true });
        return Math.log10(lr) + (kind === "b" ? 20 : 0);
      },
      { nTrials: 150 },
    );
    const importances = getParamImportances(study);
    expect(Object.keys(importances)[0]).toBe("kind");
    expect(importances.unused).toBeLessThan(0.05);
    // A target other than the value: only lr's part.
    const lrOnly = getParamImportances(study, { target: (t) => Math.log10(t.params.lr as number) });
    expect(Object.keys(lrOnly)[0]).toBe("lr");
    expect(lrOnly.lr).toBeGreaterThan(0.9);
  });

  it("assesses only the named params, and gives 0 to a single-valued one", async () => {
    const study = createStudy({ sampler: new RandomSampler({ seed: 3 }), logger: captureLogger().logger });
    await study.optimize((t) => t.suggestFloat("a", 0, 1) + t.suggestFloat("b", 0, 1) + t.suggestFloat("fixed", 2, 2), { nTrials: 30 });
    expect(Object.keys(getParamImportances(study, { params: ["b", "fixed"] })).sort()).toEqual(["b", "fixed"]);
    expect(getParamImportances(study).fixed).toBe(0);
  });

  it("says why it cannot evaluate a study with fewer than two completed trials", () => {
    const study = createStudy({ studyName: "empty", logger: captureLogger().logger });
    expect(() => getParamImportances(study)).toThrow(ImportanceError);
    expect(() => getParamImportances(study)).toThrow('Study "empty" has no completed trials: importances need at least two.');
    const t = study.ask();
    t.suggestFloat("x", 0, 1);
    study.tell(t, 1);
    expect(() => getParamImportances(study)).toThrow("has one completed trial");
  });

  it("names a param that no completed trial has", async () => {
    const study = await linearStudy(5);
    expect(() => getParamImportances(study, { params: ["nope"] })).toThrow('No completed trial has all of the parameters ["nope"].');
  });

  it("returns zeros when the target never varies", async () => {
    const study = createStudy({ sampler: new RandomSampler({ seed: 4 }), logger: captureLogger().logger });
    await study.optimize((t) => t.suggestFloat("x", 0, 1) * 0 + 1, { nTrials: 10 });
    expect(getParamImportances(study)).toEqual({ x: 0 });
  });

  // A guard against accidentally quadratic code; bench/report.ts times 10,000 trials.
  it("stays fast on 3,000 trials", () => {
    const rng = new Rng(7);
    const study = createStudy({ sampler: new RandomSampler({ seed: 7 }), logger: captureLogger().logger });
    for (let i = 0; i < 3000; i++) {
      const t = study.ask();
      const x = t.suggestFloat("x", 0, 1);
      const y = t.suggestFloat("y", 1e-3, 1, { log: true });
      const c = t.suggestCategorical("c", ["p", "q"]);
      t.suggestInt("n", 1, 64);
      study.tell(t, 10 * x + Math.log(y) + (c === "p" ? 1 : 0) + rng.normal() * 0.1);
    }
    const started = performance.now();
    const importances = getParamImportances(study);
    const elapsed = performance.now() - started;
    expect(Object.keys(importances)[0]).toBe("x");
    expect(elapsed).toBeLessThan(3000);
  });
});
