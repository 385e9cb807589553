import { describe, expect, it } from "vitest";
import { CONSTRAINTS_ATTR } from "../../constraints.js";
import { InvalidOptionError } from "../../errors.js";
import { createLogger } from "../../logging.js";
import { createStudy } from "../../study.js";
import type { BaseTrial } from "../../trial.js";
import { TrialState } from "../../trial-state.js";
import { TPESampler } from "./tpe-sampler.js";

const silent = createLogger({ level: "silent" });

/** Minimise x^2 + y^2 on [-2, 2]^2 subject to x + y >= 1: the optimum 0.5 lies on the constraint. */
function disc(trial: BaseTrial): number {
  const x = trial.suggestFloat("x", -2, 2);
  const y = trial.suggestFloat("y", -2, 2);
  trial.setUserAttr("c", 1 - x - y);
  return x * x + y * y;
}
const constraintsFunc = (t: { userAttrs: Readonly<Record<string, unknown>> }) => [t.userAttrs.c as number];

function run(sampler: TPESampler, n = 80) {
  const study = createStudy({ sampler, logger: silent });
  for (let i = 0; i < n; i++) {
    const trial = study.ask();
    study.tell(trial, disc(trial));
  }
  return study;
}

describe("TPESampler constraintsFunc", () => {
  it("stores each finished trial's constraint values, and the best trial is feasible", () => {
    const study = run(new TPESampler({ seed: 3, constraintsFunc }));
    for (const t of study.trials) expect(t.systemAttrs[CONSTRAINTS_ATTR]).toEqual([t.userAttrs.c]);
    expect(study.bestTrial.userAttrs.c as number).toBeLessThanOrEqual(0);
    // Infeasible trials do reach lower values: the best is chosen among the feasible ones only.
    const lowest = Math.min(...study.trials.map((t) => t.value as number));
    expect(study.bestValue).toBeGreaterThan(lowest);
  });

  it("learns the feasible region: more of the later trials are feasible than without it (5 seeds)", () => {
    const feasibleLate = (s: ReturnType<typeof run>) => s.trials.slice(40).filter((t) => (t.userAttrs.c as number) <= 0).length;
    let withIt = 0;
    let without = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      withIt += feasibleLate(run(new TPESampler({ seed, constraintsFunc })));
      without += feasibleLate(run(new TPESampler({ seed })));
    }
    // Unconstrained TPE heads for the origin, which is infeasible.
    expect(withIt).toBeGreaterThan(without * 2);
    expect(withIt).toBeGreaterThan(5 * 40 * 0.5);
  });

  it("works with several objectives: infeasible trials stay out of the front", () => {
    const study = createStudy({ directions: ["minimize", "minimize"], sampler: new TPESampler({ seed: 2, constraintsFunc: (t) => [(t.params.x as number) - 0.3] }), logger: silent });
    for (let i = 0; i < 40; i++) {
      const trial = study.ask();
      const x = trial.suggestFloat("x", 0, 1);
      study.tell(trial, [x, (1 - x) ** 2]);
    }
    expect(study.bestTrials.length).toBeGreaterThan(0);
    expect(study.bestTrials.every((t) => (t.params.x as number) <= 0.3)).toBe(true);
  });

  it("a constraintsFunc that returns NaN or throws fails the tell, yet the trial's end is stored", () => {
    const study = createStudy({ sampler: new TPESampler({ seed: 1, constraintsFunc: () => [Number.NaN] }), logger: silent });
    const trial = study.ask();
    trial.suggestFloat("x", 0, 1);
    expect(() => study.tell(trial, 1)).toThrow(InvalidOptionError);
    expect(() => study.tell(trial, 1)).toThrow(/already finished/);
    expect(study.trials[0]?.state).toBe(TrialState.COMPLETE);
    expect(() => new TPESampler({ constraintsFunc: 3 as never })).toThrow('Invalid option "constraintsFunc"');
  });

  it("a study whose every COMPLETE trial is infeasible has no best trial, and the error says why", () => {
    const study = createStudy({ sampler: new TPESampler({ seed: 1, constraintsFunc: () => [1] }), logger: silent });
    const trial = study.ask();
    study.tell(trial, 1);
    expect(() => study.bestTrial).toThrow(/no feasible completed trial/);
  });
});
