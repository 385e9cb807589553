// Define-by-run: which params exist depends on an earlier suggestion.
export function objective(trial) {
  const classifier = trial.suggestCategorical("classifier", ["svc", "forest"]);
  if (classifier === "svc") {
    const c = trial.suggestFloat("svcC", 1e-3, 1e3, { log: true });
    return Math.abs(Math.log10(c));
  }
  const depth = trial.suggestInt("maxDepth", 2, 32, { log: true });
  return 1 / depth;
}
