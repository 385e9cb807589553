import { receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { CallOutcome, CallReply } from "../thread-protocol/input.js";
import type { ThreadOutput, TrialCall } from "../thread-protocol/output.js";

/**
 * Makes a trial call synchronous inside the thread: post the Call, block on Atomics.wait until
 * the main thread has posted the CallReply and set the flag, then take the reply off the port.
 * The reply port has no listener here, so only receiveMessageOnPort ever reads it.
 */
export class SyncCallChannel {
  private readonly flag: Int32Array;
  private nextCallId = 1;

  constructor(
    signal: SharedArrayBuffer,
    private readonly replies: MessagePort,
    private readonly post: (message: ThreadOutput) => void,
  ) {
    this.flag = new Int32Array(signal);
  }

  call(requestId: number, call: TrialCall): CallOutcome {
    const callId = this.nextCallId++;
    Atomics.store(this.flag, 0, 0);
    this.post({ type: "call", requestId, callId, ...call });
    // The main thread posts the reply before it sets the flag, so once awake the reply is queued.
    Atomics.wait(this.flag, 0, 0);
    const received = receiveMessageOnPort(this.replies) as { message: CallReply } | undefined;
    if (received === undefined || received.message.callId !== callId) {
      throw new Error(`Shoal internal error: no reply to trial call ${callId} (${call.method}).`);
    }
    return received.message.outcome;
  }
}
