import { describe, expect, it } from "vitest";
import { ProgressBar, progressDescription } from "./progress-bar.js";
import { createLogger } from "./logging.js";
import { RandomSampler } from "./samplers/random-sampler.js";
import { createStudy } from "./study.js";

describe("progress bar", () => {
  it("shows Optuna's best trial with one objective and the Pareto front's size with several", () => {
    expect(progressDescription({ number: 7, value: 0.93 }, null)).toBe("Best trial: 7. Best value: 0.93");
    expect(progressDescription(null, null)).toBe("");
    expect(progressDescription(null, 1)).toBe("Pareto front: 1 trial");
    expect(progressDescription(null, 4)).toBe("Pareto front: 4 trials");
  });

  it("puts the study's description before the bar, computed when drawn", () => {
    const study = createStudy({ directions: ["minimize", "minimize"], sampler: new RandomSampler({ seed: 1 }), logger: createLogger({ level: "silent" }) });
    const bar = new ProgressBar(4, null, () => study.progressDescription());
    for (const values of [[1, 3], [3, 1], [2, 2], [4, 4]]) {
      study.tell(study.ask(), values);
      bar.tick();
    }
    expect(bar.render()).toMatch(/^Pareto front: 3 trials: 100%\|█{20}\| 4\/4 \[/);
    const single = createStudy({ sampler: new RandomSampler({ seed: 1 }), logger: createLogger({ level: "silent" }) });
    single.tell(single.ask(), 0.5);
    single.tell(single.ask(), 0.25);
    expect(new ProgressBar(10, null, () => single.progressDescription()).render()).toMatch(/^Best trial: 1\. Best value: 0\.25:   0%\|/);
  });
});
