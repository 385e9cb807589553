// Trial 0 keeps its trial and calls it after returning; trial 1 tells how that call ended.
let lateCall = "not made";

export async function objective(trial) {
  if (trial.number === 0) {
    setTimeout(() => {
      try {
        trial.report(1, 0);
        lateCall = "accepted";
      } catch (error) {
        lateCall = `${error.name}: ${error.message}`;
      }
    }, 0);
    return 0;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  return lateCall;
}
