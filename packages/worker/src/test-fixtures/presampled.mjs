// Suggestion scenarios for trials that offer pre-sampled answers (job: x float [-10, 10],
// c categorical ["a", "b"]). The test picks one with the user attr "scenario".
let lateCall = "not made";

const scenarios = {
  "one-float": (trial) => trial.suggestFloat("x", -10, 10),
  "other-range": (trial) => trial.suggestFloat("x", 2, 3),
  "other-kind": (trial) => {
    try {
      trial.suggestInt("x", -10, 10);
      return "accepted";
    } catch (error) {
      return { name: error.name, message: error.message };
    }
  },
  "define-by-run": (trial) => ({ x: trial.suggestFloat("x", -10, 10), k: trial.suggestInt("k", 1, 100) }),
  "report-between": (trial) => {
    const x = trial.suggestFloat("x", -10, 10);
    trial.report(1, 0);
    const c = trial.suggestCategorical("c", ["a", "b"]);
    trial.report(2, 1);
    const again = trial.suggestFloat("x", -10, 10);
    return { x, c, again, params: trial.params, distributions: trial.distributions };
  },
  "attr-after": (trial) => {
    trial.suggestFloat("x", -10, 10);
    try {
      trial.setUserAttr("after", true);
      return "accepted";
    } catch (error) {
      return `${error.name}: ${error.message}`;
    }
  },
  "throws-after": (trial) => {
    trial.suggestFloat("x", -10, 10);
    throw new RangeError("after x");
  },
  "hangs-after": (trial) => {
    trial.suggestFloat("x", -10, 10);
    for (;;);
  },
  "many": (trial) => {
    const values = new Set();
    for (let i = 0; i < 300; i++) values.add(trial.suggestFloat("x", -10, 10));
    return [...values];
  },
  // Leaves a suggestion for after the trial: the next trial ("late-result") tells how it ended.
  "late": (trial) => {
    setTimeout(() => {
      try {
        trial.suggestFloat("x", -10, 10);
        lateCall = "accepted";
      } catch (error) {
        lateCall = `${error.name}: ${error.message}`;
      }
    }, 0);
    return 0;
  },
  "late-result": async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return lateCall;
  },
};

export function objective(trial) {
  return scenarios[trial.userAttrs.scenario](trial);
}
