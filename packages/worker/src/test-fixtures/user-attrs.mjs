export function objective(trial) {
  const x = trial.suggestFloat("x", 0, 1);
  trial.setUserAttr("config", { layers: [32, 16], name: "small" });
  // What the thread's trial shows, to check it keeps up with the calls.
  trial.setUserAttr("seenInThread", { params: trial.params, distributions: trial.distributions, userAttrs: trial.userAttrs });
  return x;
}
