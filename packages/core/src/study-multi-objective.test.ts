import { describe, expect, it } from "vitest";
import { InvalidOptionError, MultiObjectiveError } from "./errors.js";
import { dominates, toLosses } from "./multi-objective/dominance.js";
import { hypervolume } from "./multi-objective/hypervolume.js";
import { RandomSampler } from "./samplers/random-sampler.js";
import { TPESampler } from "./samplers/tpe/index.js";
import { createStudy, type CreateStudyOptions } from "./study.js";
import { captureLogger } from "./test-logger.js";
import { TrialState } from "./trial-state.js";
import type { BaseTrial } from "./trial.js";

function quiet(options: CreateStudyOptions) {
  const { logger, lines } = captureLogger();
  return { study: createStudy({ logger, sampler: new RandomSampler({ seed: 1 }), ...options }), lines };
}

/** ZDT1 on `n` variables in [0, 1]: both objectives minimised, the front f2 = 1 - sqrt(f1). */
function zdt1(trial: BaseTrial, n = 6): [number, number] {
  const x = Array.from({ length: n }, (_, i) => trial.suggestFloat(`x${i}`, 0, 1));
  const g = 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / (n - 1);
  return [x[0]!, g * (1 - Math.sqrt(x[0]! / g))];
}

describe("a multi-objective study", () => {
  it("records an array of values per trial and keeps its directions", async () => {
    const { study } = quiet({ directions: ["minimize", "maximize"] });
    expect(study.directions).toEqual(["minimize", "maximize"]);
    expect(study.isMultiObjective).toBe(true);
    await study.optimize((t) => [t.suggestFloat("x", 0, 1), t.suggestFloat("y", 0, 1)], { nTrials: 5 });
    for (const t of study.trials) {
      expect(t.state).toBe(TrialState.COMPLETE);
      expect(t.values).toEqual([t.params.x, t.params.y]);
      expect(t.value).toBeNull();
    }
  });

  it("has a Pareto front for best trials; bestTrial, bestValue and direction throw, as Optuna's", async () => {
    const { study } = quiet({ directions: ["minimize", "minimize"] });
    const points = [[1, 4], [2, 2], [4, 1], [3, 3], [2, 2], [5, 0.5]];
    for (const p of points) study.tell(study.ask(), p);
    expect(study.bestTrials.map((t) => t.number)).toEqual([0, 1, 2, 4, 5]);
    expect(() => study.bestTrial).toThrow(MultiObjectiveError);
    expect(() => study.bestTrial).toThrow('Study "' + study.studyName + '" has 2 objectives, so it has no single best trial; use study.bestTrials (the Pareto front).');
    expect(() => study.bestValue).toThrow(MultiObjectiveError);
    expect(() => study.direction).toThrow("use study.directions");
  });

  it("leaves infeasible trials (a constraint above 0) out of the front", () => {
    const { study } = quiet({ directions: ["minimize", "minimize"] });
    const a = study.ask();
    study.storage.setTrialSystemAttr(a.trialId, "constraints", [0.5]);
    study.tell(a, [0, 0]);
    const b = study.ask();
    study.storage.setTrialSystemAttr(b.trialId, "constraints", [-1, 0]);
    study.tell(b, [1, 1]);
    expect(study.bestTrials.map((t) => t.number)).toEqual([1]);
  });

  it("fails a trial whose objective returns the wrong number of values, naming both", async () => {
    const { study, lines } = quiet({ directions: ["minimize", "minimize"] });
    await study.optimize(() => [1, 2, 3], { nTrials: 1 });
    expect(study.trials[0]?.state).toBe(TrialState.FAIL);
    expect(study.trials[0]?.systemAttrs.failReason).toBe(
      "The objective returned 3 values on a study of 2 objectives; it must return an array of 2 finite numbers, one per direction",
    );
    expect(lines.at(-1)).toContain("because of the following error: The objective returned 3 values on a study of 2 objectives");
  });

  it("logs Optuna's line for several values", async () => {
    const { study, lines } = quiet({ studyName: "mo", directions: ["minimize", "maximize"] });
    study.enqueueTrial({ x: 0.5 });
    await study.optimize((t) => [t.suggestFloat("x", 0, 1), 2], { nTrials: 1 });
    expect(lines[1]).toMatch(/^\[I .*\] Trial 0 finished with values: \[0\.5, 2\.0\] and parameters: \{'x': 0\.5\}\.$/);
  });

  it("refuses bad directions naming the option, and a loaded study with other directions", () => {
    expect(() => createStudy({ directions: [] })).toThrow(InvalidOptionError);
    expect(() => createStudy({ directions: ["minimize", "up" as never] })).toThrow('Invalid option "directions[1]": must be "minimize" or "maximize", got "up".');
    expect(() => createStudy({ direction: "minimize", directions: ["minimize"] })).toThrow("not both");
    const { study } = quiet({ studyName: "d", directions: ["minimize", "maximize"] });
    expect(() => createStudy({ storage: study.storage, studyName: "d", loadIfExists: true, directions: ["minimize", "minimize"] })).toThrow(
      'study "d" exists with directions [minimize, maximize], which differs from [minimize, minimize].',
    );
    expect(createStudy({ storage: study.storage, studyName: "d", loadIfExists: true }).directions).toEqual(["minimize", "maximize"]);
  });

  it("a single-objective study's bestTrials are the trials with the best value", () => {
    const { study } = quiet({ direction: "maximize" });
    for (const v of [1, 3, 2, 3]) study.tell(study.ask(), v);
    expect(study.bestTrials.map((t) => t.number)).toEqual([1, 3]);
  });

  it("MOTPE (TPESampler on a multi-objective study) beats random search on ZDT1", async () => {
    const reference = [1.1, 11];
    const hv = async (sampler: RandomSampler | TPESampler) => {
      const { study } = quiet({ directions: ["minimize", "minimize"], sampler });
      await study.optimize((t) => zdt1(t), { nTrials: 120 });
      const front = study.bestTrials.map((t) => toLosses(t.values!, study.directions));
      // The front really is non-dominated among all complete trials.
      for (const p of front) for (const t of study.trials) expect(dominates(t.values!, p)).toBe(false);
      return hypervolume(front, reference);
    };
    const tpe = [] as number[];
    const random = [] as number[];
    for (const seed of [1, 2, 3]) {
      tpe.push(await hv(new TPESampler({ seed })));
      random.push(await hv(new RandomSampler({ seed })));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    expect(median(tpe)).toBeGreaterThan(median(random));
  });
});
