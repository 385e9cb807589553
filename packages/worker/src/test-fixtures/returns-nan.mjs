export function objective(trial) {
  trial.suggestFloat("x", 0, 1);
  return NaN;
}
