import { describe, expect, it } from "vitest";
import { containsValue } from "../../distributions.js";
import { InvalidOptionError } from "../../errors.js";
import { createLogger } from "../../logging.js";
import { createStudy } from "../../study.js";
import type { BaseTrial } from "../../trial.js";
import { QMCSampler } from "./qmc-sampler.js";
import { SobolSequence } from "./sobol.js";

const silent = createLogger({ level: "silent" });

function objective(t: BaseTrial): number {
  const x = t.suggestFloat("x", -5, 5);
  const lr = t.suggestFloat("lr", 1e-5, 1, { log: true });
  const n = t.suggestInt("n", 1, 9, { step: 2 });
  const w = t.suggestInt("w", 2, 256, { log: true });
  const s = t.suggestFloat("s", 0, 1, { step: 0.25 });
  const act = t.suggestCategorical("act", ["relu", "tanh"]);
  return x * x + Math.log(lr) ** 2 + n + w / 100 + s + (act === "relu" ? 0 : 1);
}

function run(sampler: QMCSampler, n = 40) {
  const study = createStudy({ sampler, logger: silent });
  for (let i = 0; i < n; i++) {
    const t = study.ask();
    study.tell(t, objective(t));
  }
  return study;
}

describe("QMCSampler", () => {
  it("trial n takes the n-th Sobol point over the first trial's numeric space (names sorted), mapped into each range", () => {
    const study = run(new QMCSampler({ seed: 1 }));
    const names = ["lr", "n", "s", "w", "x"];
    const seq = new SobolSequence(names.length);
    for (const t of study.trials.slice(1)) {
      const u = seq.point(t.number);
      expect(t.params.x).toBeCloseTo(-5 + (u[4] as number) * 10, 12);
      expect(Math.log(t.params.lr as number)).toBeCloseTo(Math.log(1e-5) + (u[0] as number) * (0 - Math.log(1e-5)), 10);
      // Grids: the cell of the point, as Optuna's transform (ranges widened by half a step).
      expect(t.params.n).toBe(Math.min(9, Math.max(1, 1 + 2 * Math.round(((u[1] as number) * 10 - 1) / 2))));
    }
  });

  it("stays in bounds and on the grids, categorical parameters sampled independently; Halton too", () => {
    for (const qmcType of ["sobol", "halton"] as const) {
      for (const scramble of [false, true]) {
        const study = run(new QMCSampler({ seed: 2, qmcType, scramble }), 60);
        for (const t of study.trials) {
          for (const [name, value] of Object.entries(t.params)) expect(containsValue(t.distributions[name]!, value)).toBe(true);
        }
        expect(new Set(study.trials.map((t) => t.params.act))).toEqual(new Set(["relu", "tanh"]));
        // Low discrepancy: x's 59 points spread over all ten unit cells.
        expect(new Set(study.trials.slice(1).map((t) => Math.floor((t.params.x as number) + 5))).size).toBe(10);
      }
    }
  });

  it("is deterministic under a seed, whatever order trials finish in, and a new sampler over the same storage continues the sequence", () => {
    const a = run(new QMCSampler({ seed: 5, scramble: true }));
    const b = run(new QMCSampler({ seed: 5, scramble: true }));
    expect(b.trials.map((t) => t.params)).toEqual(a.trials.map((t) => t.params));
    const c = run(new QMCSampler({ seed: 6, scramble: true }));
    expect(c.trials[5]?.params.x).not.toBe(a.trials[5]?.params.x);

    // Out of order: trials 1..4 asked together, told last first; each still gets its own point.
    const study = createStudy({ sampler: new QMCSampler({ seed: 5, scramble: true }), logger: silent });
    const first = study.ask();
    study.tell(first, objective(first));
    const open = [1, 2, 3, 4].map(() => study.ask());
    const values = open.map((t) => objective(t));
    for (let i = open.length - 1; i >= 0; i--) study.tell(open[i]!, values[i]!);
    expect(study.trials.slice(1, 5).map((t) => t.params.x)).toEqual(a.trials.slice(1, 5).map((t) => t.params.x));

    const resumed = createStudy({ storage: study.storage, studyName: study.studyName, loadIfExists: true, sampler: new QMCSampler({ seed: 5, scramble: true }), logger: silent });
    const next = resumed.ask();
    resumed.tell(next, objective(next));
    expect(next.params.x).toBe(a.trials[5]?.params.x);
  });

  it("takes enqueued params as given", () => {
    const study = createStudy({ sampler: new QMCSampler({ seed: 1 }), logger: silent });
    study.enqueueTrial({ x: 1.5 });
    const t = study.ask();
    expect(t.suggestFloat("x", -5, 5)).toBe(1.5);
  });

  it("refuses bad options, naming them", () => {
    expect(() => new QMCSampler({ qmcType: "lattice" as never })).toThrow(InvalidOptionError);
    expect(() => new QMCSampler({ qmcType: "lattice" as never })).toThrow('Invalid option "qmcType": must be "sobol" or "halton", got lattice.');
  });
});
