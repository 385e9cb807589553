import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../errors.js";
import { createLogger } from "../../logging.js";
import { createStudy } from "../../study.js";
import { TrialState } from "../../trial-state.js";
import type { BaseTrial } from "../../trial.js";
import { GridSampler } from "./grid-sampler.js";

const silent = createLogger({ level: "silent" });
const grid = { x: [-1, 0, 1], act: ["relu", "tanh"] };
const objective = (t: BaseTrial) => (t.suggestFloat("x", -1, 1) as number) ** 2 + (t.suggestCategorical("act", ["relu", "tanh"]) === "relu" ? 0 : 1);
const key = (p: Readonly<Record<string, unknown>>) => `${String(p.x)}/${String(p.act)}`;

describe("GridSampler", () => {
  it("runs every point once and stops the study when the grid is done, however many trials were asked for", async () => {
    const study = createStudy({ sampler: new GridSampler(grid, { seed: 1 }), logger: silent });
    await study.optimize(objective, { nTrials: 50 });
    expect(study.trials).toHaveLength(6);
    expect(new Set(study.trials.map((t) => key(t.params))).size).toBe(6);
    expect(study.bestParams).toEqual({ x: 0, act: "relu" });
  });

  it("in parallel (4 at a time) covers the grid with no repeat: the trial that takes the last free point stops the study", async () => {
    const study = createStudy({ sampler: new GridSampler(grid, { seed: 2 }), logger: silent });
    await study.optimize(async (t) => {
      await new Promise((r) => setTimeout(r, 5));
      return objective(t);
    }, { nTrials: 50, concurrency: 4 });
    expect(new Set(study.trials.map((t) => key(t.params))).size).toBe(6);
    expect(study.trials).toHaveLength(6);
  });

  it("keeps enqueued trials' params, and is the same under the same seed", async () => {
    const run = async () => {
      const study = createStudy({ sampler: new GridSampler(grid, { seed: 3 }), logger: silent });
      study.enqueueTrial({ x: 1, act: "tanh" });
      await study.optimize(objective, { nTrials: 3 });
      return study.trials.map((t) => key(t.params));
    };
    const a = await run();
    expect(a[0]).toBe("1/tanh");
    expect(await run()).toEqual(a);
  });

  it("fails a trial whose objective asks for a parameter the grid lacks, naming the grid's", () => {
    const study = createStudy({ sampler: new GridSampler(grid, { seed: 1 }), logger: silent });
    const t = study.ask();
    expect(() => t.suggestInt("depth", 1, 3)).toThrow('the objective asks for "depth", which the grid does not have (it has "act", "x")');
    study.tell(t, undefined, { state: TrialState.FAIL });
  });

  it("refuses a bad grid, naming the parameter", () => {
    expect(() => new GridSampler({ x: [] })).toThrow(InvalidOptionError);
    expect(() => new GridSampler({ x: [] })).toThrow('"x" must have a non-empty array of values');
    expect(() => new GridSampler({ x: [1, Number.NaN] })).toThrow('"x" holds NaN');
    expect(() => new GridSampler([1, 2] as never)).toThrow('Invalid option "searchSpace"');
  });
});
