import { describe, expect, it } from "vitest";
import { StudyJsonError, TrialPruned } from "./errors.js";
import { createLogger } from "./logging.js";
import { RandomSampler } from "./samplers/random-sampler.js";
import { createStudy } from "./study.js";
import { parseStudyJson, studyToJson } from "./study-json.js";

describe("trials.json", () => {
  it("reads back every trial it writes, in number order, dates as Dates", async () => {
    const study = createStudy({ studyName: "rt", direction: "maximize", sampler: new RandomSampler({ seed: 4 }), logger: createLogger({ level: "silent" }) });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat("x", 0, 1, { step: 0.25 });
        const n = t.suggestInt("n", 1, 64, { log: true });
        const c = t.suggestCategorical("c", ["a", null, true, 3]);
        t.report(x, 0);
        t.report(Number.NaN, 1);
        t.setUserAttr("c", c);
        if (t.number === 2) throw new TrialPruned();
        if (t.number === 3) return Number.NaN;
        return x * n;
      },
      { nTrials: 6 },
    );
    const best = study.bestTrial.number;
    const doc = parseStudyJson(JSON.parse(studyToJson(study, best)));
    expect(doc.studyName).toBe("rt");
    expect(doc.directions).toEqual(["maximize"]);
    expect(doc.bestTrialNumber).toBe(best);
    // NaN intermediate values are written as null and dropped on reading: JSON has no NaN.
    const expected = study.trials.map((t) => ({ ...t, trialId: t.number, intermediateValues: { 0: t.intermediateValues[0] } }));
    expect(doc.trials).toEqual(expected);
  });

  it("names the first field that is not as Shoal writes it", () => {
    const base = { format: "shoal.study/v1", studyName: "s", direction: "minimize", bestTrialNumber: null, trials: [] };
    expect(() => parseStudyJson({ ...base, format: "other" }, "f.json")).toThrow(StudyJsonError);
    expect(() => parseStudyJson({ ...base, format: "other" }, "f.json")).toThrow(/^f\.json is not a shoal\.study\/v1 study .* at format\.$/);
    const trial = {
      number: 0, state: "COMPLETE", value: 1, params: { n: 1 }, userAttrs: {}, systemAttrs: {}, intermediateValues: {},
      datetimeStart: null, datetimeComplete: null, duration: null,
      distributions: { n: { kind: "int", low: 0.5, high: 3, step: 1, log: false } },
    };
    expect(() => parseStudyJson({ ...base, trials: [trial] })).toThrow(/at trials\.0\.distributions\.n\.low\.$/);
  });
});
