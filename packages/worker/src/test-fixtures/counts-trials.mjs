import { threadId } from "node:worker_threads";

// Module-level setup: runs once per thread, so the count shows how often a thread was reused.
let trialsInThisThread = 0;

export function objective(trial) {
  trialsInThisThread += 1;
  trial.setUserAttr("threadId", threadId);
  trial.setUserAttr("trialsInThisThread", trialsInThisThread);
  return trial.suggestFloat("x", 0, 1);
}
