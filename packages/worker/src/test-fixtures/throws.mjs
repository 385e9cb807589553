export function objective(trial) {
  trial.suggestFloat("x", 0, 1);
  throw new RangeError("boom");
}
