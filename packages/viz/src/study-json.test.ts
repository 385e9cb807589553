import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { categoricalDistribution, floatDistribution, frozenTrialToJSON, StudyJsonError } from "@shoal/core";
import { describe, expect, it } from "vitest";
import { readStudyJson } from "./study-json.js";
import { trial } from "./test-fixtures/frozen-trials.js";

const distributions = { x: floatDistribution("x", 0, 1), kind: categoricalDistribution("kind", ["a", null, true, 3]) };
const trials = [
  trial(0, { value: 0.5, params: { x: 0.25, kind: null }, distributions, intermediateValues: { 0: 1, 3: 0.5 } }),
  trial(1, { state: "FAIL", params: { x: 0.75, kind: true }, distributions, systemAttrs: { failReason: "Error('boom')", worker: "w1" } }),
  trial(2, { state: "RUNNING", datetimeComplete: null, duration: null }),
];

async function writeStudy(doc: unknown): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "shoal-viz-json-"));
  await writeFile(path.join(dir, "trials.json"), JSON.stringify(doc));
  return dir;
}

describe("readStudyJson", () => {
  it("reads what `shoal optimize --out` writes, dates and all", async () => {
    const dir = await writeStudy({
      format: "shoal.study/v1",
      studyName: "iris",
      direction: "maximize",
      bestTrialNumber: 0,
      trials: [...trials].reverse().map(frozenTrialToJSON),
    });
    for (const source of [dir, path.join(dir, "trials.json")]) {
      const study = await readStudyJson(source);
      expect(study.studyName).toBe("iris");
      expect(study.direction).toBe("maximize");
      expect(study.getTrials()).toEqual(trials.map((t) => ({ ...t, trialId: t.number })));
      expect(study.getTrials({ states: ["FAIL"] }).map((t) => t.number)).toEqual([1]);
      expect(study.getTrials()[0]!.datetimeStart).toBeInstanceOf(Date);
    }
  });

  it("names the first bad field", async () => {
    const dir = await writeStudy({ format: "shoal.study/v1", studyName: "s", direction: "sideways", bestTrialNumber: null, trials: [] });
    await expect(readStudyJson(dir)).rejects.toThrow(StudyJsonError);
    await expect(readStudyJson(dir)).rejects.toThrow(/is not a shoal\.study\/v1 study .* at direction\.$/);
  });

  it("says how to get a study when there is none", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "shoal-viz-json-"));
    await expect(readStudyJson(dir)).rejects.toThrow(`No trials.json in ${dir}: write one with \`shoal optimize <objective> --trials N --out ${dir}\`.`);
    await expect(readStudyJson(path.join(dir, "missing.json"))).rejects.toThrow(/^No study at .*missing\.json/);
  });
});
