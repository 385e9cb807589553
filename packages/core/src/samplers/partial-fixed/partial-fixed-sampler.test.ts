import { describe, expect, it } from "vitest";
import { createLogger } from "../../logging.js";
import { createStudy } from "../../study.js";
import { TPESampler } from "../tpe/index.js";
import { PartialFixedSampler } from "./partial-fixed-sampler.js";

const silent = createLogger({ level: "silent" });

describe("PartialFixedSampler", () => {
  it("keeps the fixed parameters at their values and lets the base sampler (jointly, without them) pick the rest", () => {
    const base = new TPESampler({ seed: 1, nStartupTrials: 5 });
    const sampler = new PartialFixedSampler({ y: 3, act: "tanh" }, base);
    const study = createStudy({ sampler, logger: silent });
    for (let i = 0; i < 30; i++) {
      const t = study.ask();
      const x = t.suggestFloat("x", -10, 10);
      const y = t.suggestInt("y", 0, 5);
      const act = t.suggestCategorical("act", ["relu", "tanh"]);
      study.tell(t, (x - 2) ** 2 + y + (act === "relu" ? 0 : 1));
    }
    expect(study.trials.every((t) => t.params.y === 3 && t.params.act === "tanh")).toBe(true);
    expect(Object.keys(sampler.inferRelativeSearchSpace(study, study.trials.at(-1)!))).toEqual(["x"]);
    // TPE still learns x.
    expect(Math.abs((study.bestParams.x as number) - 2)).toBeLessThan(1);
  });

  it("fails the trial, naming the parameter, its value and the range, when a fixed value is out of range", () => {
    const study = createStudy({ sampler: new PartialFixedSampler({ y: 9 }, new TPESampler({ seed: 1 })), logger: silent });
    const t = study.ask();
    expect(() => t.suggestInt("y", 0, 5)).toThrow(/fixes "y" at 9, outside the objective's/);
  });
});
