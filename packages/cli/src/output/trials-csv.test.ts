import { describe, expect, it } from "vitest";
import { createLogger, createStudy, RandomSampler } from "@shoal/core";
import { trialsToCsv } from "./trials-csv.js";

describe("trialsToCsv", () => {
  it("writes Optuna's trials_dataframe columns, quoting where needed", async () => {
    const study = createStudy({ sampler: new RandomSampler({ seed: 1 }), logger: createLogger({ level: "silent" }) });
    await study.optimize(
      (t) => {
        const c = t.suggestCategorical("c", ["a,b", "plain"]);
        t.setUserAttr("note", 'say "hi"');
        if (t.number === 1) throw new Error("boom");
        return c === "plain" ? 1 : 2;
      },
      { nTrials: 3, catch: () => true },
    );
    const lines = trialsToCsv(study.trials).trimEnd().split("\n");
    expect(lines[0]).toBe("number,value,datetime_start,datetime_complete,duration,params_c,user_attrs_note,state,fail_reason");
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^1,,[^,]+,[^,]+,[0-9.]+,("a,b"|plain),"say ""hi""",FAIL,Error\('boom'\)$/);
    expect(lines[1]).toMatch(/^0,[12],/);
  });

  it("names the worker of each trial of a cluster study", () => {
    const study = createStudy({ sampler: new RandomSampler({ seed: 1 }), logger: createLogger({ level: "silent" }) });
    for (const worker of ["w-1", "w-2"]) {
      const t = study.ask();
      study.storage.setTrialSystemAttr(t.trialId, "worker", worker);
      study.tell(t, 1);
    }
    const lines = trialsToCsv(study.trials).trimEnd().split("\n");
    expect(lines[0]).toBe("number,value,datetime_start,datetime_complete,duration,system_attrs_worker,state,fail_reason");
    expect(lines[1]).toMatch(/,w-1,COMPLETE,$/);
    expect(lines[2]).toMatch(/,w-2,COMPLETE,$/);
  });
});
