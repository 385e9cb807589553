// Trial 0 allocates until its thread's heap limit; later trials return at once.
export function objective(trial) {
  const x = trial.suggestFloat("x", 0, 1);
  if (trial.number === 0) {
    const hoard = [];
    for (;;) hoard.push(new Array(100_000).fill(x));
  }
  return x;
}
