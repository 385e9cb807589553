/**
 * What the main thread sends to a trial thread. The thread answers with the messages of
 * `output.ts`; each trial is tagged with the `requestId` of its RunTrial.
 */
import type { MessagePort } from "node:worker_threads";
import type { Distribution, ParamValue, SerializedError } from "@shoal/core";

/** The trial as it stands when the objective starts: pre-sampled params included. */
export interface TrialSnapshot {
  number: number;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  userAttrs: Record<string, unknown>;
}

/** Given to the thread at start (as `workerData`): what to load and where calls are answered. */
export interface ThreadData {
  /** The thread's own entry module (`thread/thread-main.ts` or `.js`), imported by the bootstrap. */
  entryUrl: string;
  /** tsx's ESM and CommonJS register APIs, when TypeScript must load in the thread; else null. */
  tsx: { esmApiUrl: string; cjsApiUrl: string } | null;
  /** The user's objective module, a `file:` URL. */
  objectiveUrl: string;
  /** Int32 flag the thread waits on (Atomics.wait) while the main thread answers a call. */
  callSignal: SharedArrayBuffer;
  /** The port CallReply messages arrive on; the thread reads it with receiveMessageOnPort. */
  callPort: MessagePort;
}

/**
 * A suggestion whose answer is known before the objective asks: `suggestX(name, ...)` returns
 * `value` when its arguments build exactly `distribution` (see PresampledTrial).
 */
export interface PresampledAnswer {
  name: string;
  value: ParamValue;
  distribution: Distribution;
}

/** What the thread may answer by itself, and where it logs what it answered (see AnswerLog). */
export interface PresampledAnswers {
  /** An AnswerLog logs positions in this list. */
  answers: PresampledAnswer[];
  /** The thread's AnswerLog; shared memory, so it outlives a thread that dies. */
  log: SharedArrayBuffer;
}

/** Run the objective once for this trial. */
export interface RunTrial {
  type: "run-trial";
  requestId: number;
  trial: TrialSnapshot;
  /** Null when the trial offers none: every suggestion then takes the round trip. */
  presampled: PresampledAnswers | null;
}

/** How a trial call ended on the main thread. */
export type CallOutcome =
  | { ok: true; value: unknown; distribution?: Distribution | undefined }
  | { ok: false; error: SerializedError };

/** The answer to a Call, posted on the call port (never on the thread's parentPort). */
export interface CallReply {
  type: "call-reply";
  callId: number;
  outcome: CallOutcome;
}

/** Messages on the thread's parentPort. */
export type ThreadInput = RunTrial;
