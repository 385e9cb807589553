export function objective(trial) {
  return trial.suggestFloat("learningRate", 1, 0.1);
}
