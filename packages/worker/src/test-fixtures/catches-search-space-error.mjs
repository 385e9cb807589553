// The main thread's error reaches the objective, which can catch it like any other.
export function objective(trial) {
  try {
    trial.suggestInt("layers", 5, 1);
  } catch (error) {
    trial.setUserAttr("caught", { name: error.name, message: error.message });
  }
  return 1;
}
