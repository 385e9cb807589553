// Sleeps 300 ms without blocking its thread's event loop and records when it ran.
export async function objective(trial) {
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 300));
  trial.setUserAttr("ran", [start, Date.now()]);
  return trial.suggestFloat("x", 0, 1);
}
