/**
 * The trial thread's entry: loads the objective module once, says ready, then runs one trial per
 * RunTrial message until the main thread terminates it. Module-level setup in the objective
 * module (loading a data set, say) therefore runs once per thread, not once per trial.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { RunTrial, ThreadData, ThreadInput } from "../thread-protocol/input.js";
import type { ThreadOutput } from "../thread-protocol/output.js";
import { serializeThrown } from "./error-transport.js";
import { loadObjective, type ObjectiveFunction } from "./load-objective.js";
import { SyncCallChannel } from "./sync-call-channel.js";
import { ThreadTrial } from "./thread-trial.js";

const port = parentPort;
if (port === null) throw new Error("thread-main must run in a worker thread.");
const data = workerData as ThreadData;
const post = (message: ThreadOutput): void => port.postMessage(message);
const channel = new SyncCallChannel(data.callSignal, data.callPort, post);

const loaded = await loadObjective(data.objectiveUrl);
if (loaded.ok) {
  const { objective } = loaded;
  port.on("message", (message: ThreadInput) => {
    if (message.type === "run-trial") void runTrial(objective, message);
  });
  post({ type: "ready" });
} else {
  // Nothing listens after this, so the thread exits by itself.
  post({ type: "load-failed", reason: loaded.reason });
}

async function runTrial(objective: ObjectiveFunction, { requestId, trial, presampled }: RunTrial): Promise<void> {
  const threadTrial = new ThreadTrial(channel, requestId, trial, presampled);
  let value: unknown;
  try {
    value = await objective(threadTrial);
  } catch (error) {
    threadTrial.end();
    post({ type: "error", requestId, error: serializeThrown(error) });
    return;
  }
  threadTrial.end();
  try {
    post({ type: "result", requestId, value });
  } catch (error) {
    // A function or a symbol, say: structured clone refuses it.
    const { message } = serializeThrown(error);
    post({
      type: "error",
      requestId,
      error: { name: "TypeError", message: `The objective returned a value that cannot leave its thread: ${message}` },
    });
  }
}
