// Returns whatever the first param picks, to show run() passes values through untouched.
export function objective(trial) {
  const kind = trial.suggestCategorical("kind", ["object", "function"]);
  return kind === "object" ? { loss: 0.5, tags: ["a"] } : () => 1;
}
