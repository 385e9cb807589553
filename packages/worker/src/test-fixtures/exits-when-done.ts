// Run as its own process by process-exit.test.ts: it must end by itself once the work is done.
import { createLogger, createStudy, RandomSampler } from "@shoal/core";
import { optimizeLocally, TrialRunner } from "../index.js";

const study = createStudy({ sampler: new RandomSampler({ seed: 1 }), logger: createLogger({ level: "silent" }) });
await optimizeLocally(study, {
  objectiveModule: new URL("./hangs-first.mjs", import.meta.url).href,
  nTrials: 3,
  jobs: 2,
  trialTimeoutSeconds: 1,
});
// A runner never closed, with an idle thread, must not keep the process alive either.
const forgotten = new TrialRunner({ objectiveModule: new URL("./quadratic.mjs", import.meta.url).href });
await forgotten.run(study.ask());
process.stdout.write(JSON.stringify(study.trials.map((t) => t.state)));
