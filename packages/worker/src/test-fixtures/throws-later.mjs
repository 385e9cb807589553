// Throws from a timer, outside the objective's call, so nothing catches it and the thread dies.
export function objective(trial) {
  trial.suggestFloat("x", 0, 1);
  setTimeout(() => {
    throw new TypeError("late failure");
  }, 0);
  return new Promise(() => {});
}
