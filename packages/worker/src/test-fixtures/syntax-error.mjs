export function objective(trial) {
  return trial.suggestFloat("x", 0, 1) +;
}
