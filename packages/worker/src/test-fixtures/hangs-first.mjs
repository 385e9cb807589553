// Trial 0 never returns; later trials return at once.
export function objective(trial) {
  const x = trial.suggestFloat("x", 0, 1);
  if (trial.number === 0) for (;;);
  return x;
}
