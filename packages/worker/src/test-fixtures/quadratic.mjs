export function objective(trial) {
  const x = trial.suggestFloat("x", -10, 10);
  return (x - 2) ** 2;
}
