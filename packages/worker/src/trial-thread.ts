import { describeError, RemoteError, type BaseTrial, type SerializedError } from "@shoal/core";
import {
  ObjectiveLoadError,
  ThreadCrashedError,
  TrialRunnerClosedError,
  TrialTimeoutError,
  type ThreadCrashKind,
} from "./errors.js";
import { presampledAnswers, replayLocalAnswers, serveTrialCall } from "./serve-trial-call.js";
import { spawnTrialThread } from "./thread-bootstrap.js";
import { AnswerLog } from "./thread-protocol/answer-log.js";
import type { CallOutcome, CallReply, PresampledAnswer, RunTrial, TrialSnapshot } from "./thread-protocol/input.js";
import type { Call, ThreadOutput, TrialError, TrialResult } from "./thread-protocol/output.js";
import type { PresampledParams } from "./thread-protocol/presampled-params.js";
import type { CompiledTrialRunnerOptions } from "./trial-runner-options.js";

/**
 * Where a trial thread is in its life, seen from the main thread:
 * - `starting`: the thread is loading the objective module; `ready` settles when it is done.
 *   Left for `idle` (ready), or `stopping` (the module cannot be used, or close()).
 * - `idle`: loaded, no trial. The worker is unref'd, so an idle pool never keeps Node alive.
 * - `running`: one trial in flight (`current`); its calls are served on `current.trial`. Left for
 *   `idle` when the objective returns or throws, for `stopping` on timeout or close(), or for
 *   `exited` when the thread dies by itself.
 * - `stopping`: terminate() was asked; messages are ignored until the exit. `endReason` holds
 *   what the trial in flight (or `ready`) is rejected with.
 * - `exited`: the thread is gone and is never reused.
 */
export type TrialThreadState = "starting" | "idle" | "running" | "stopping" | "exited";

interface RunningTrial {
  requestId: number;
  trial: BaseTrial;
  /** What the thread may answer by itself; its AnswerLog holds positions in this list. */
  presampled: PresampledAnswer[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | null;
}

/** One worker thread of a TrialRunner's pool: runs one trial at a time and serves its calls. */
export class TrialThread {
  /** Resolves once the objective module loaded; rejects with ObjectiveLoadError (or on close). */
  readonly ready: Promise<void>;
  /** Resolves once the thread has exited. */
  readonly exited: Promise<void>;
  private state: TrialThreadState = "starting";
  private readonly spawned: ReturnType<typeof spawnTrialThread>;
  private current: RunningTrial | null = null;
  private nextRequestId = 1;
  private endReason: Error | null = null;
  /** The error that killed the thread, from the worker's "error" event. */
  private uncaught: Error | null = null;
  private settleReady!: { resolve: () => void; reject: (error: Error) => void };
  private resolveExited!: () => void;
  /** Created with the first trial that offers answers; empty whenever no trial is running. */
  private answerLog: AnswerLog | null = null;
  private calls = 0;

  constructor(
    private readonly options: CompiledTrialRunnerOptions,
    onExit: (thread: TrialThread) => void,
  ) {
    this.ready = new Promise((resolve, reject) => (this.settleReady = { resolve, reject }));
    // Whoever needs the thread awaits `ready`; this keeps an unawaited failure from going unhandled.
    this.ready.catch(() => undefined);
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.spawned = spawnTrialThread(options.objectiveUrl, options.resourceLimits);
    const { worker } = this.spawned;
    worker.on("message", (message: ThreadOutput) => this.onMessage(message));
    worker.on("error", (error) => (this.uncaught ??= error));
    worker.on("exit", (code) => {
      this.onExit(code);
      onExit(this);
    });
  }

  get isIdle(): boolean {
    return this.state === "idle";
  }

  /** Trial calls served by round trip since the thread started; tests read it to see which calls left the thread. */
  get callsServed(): number {
    return this.calls;
  }

  /**
   * Runs the objective for `trial`; the thread must be idle. The thread answers the suggestions
   * of `offer` (see PresampledTrial) by itself; they are replayed on `trial`.
   */
  run(trial: BaseTrial, offer: PresampledParams | null = null): Promise<unknown> {
    if (this.state !== "idle") throw new Error(`Shoal internal error: run() on a ${this.state} trial thread.`);
    const requestId = this.nextRequestId++;
    const presampled = offer === null ? [] : presampledAnswers(offer);
    // Only a trial with something to offer needs the log the thread answers into.
    const log = presampled.length === 0 ? null : (this.answerLog ??= new AnswerLog());
    const message: RunTrial = {
      type: "run-trial",
      requestId,
      trial: snapshot(trial),
      presampled: log === null ? null : { answers: presampled, log: log.buffer },
    };
    // Throws (a user attr that cannot be cloned, say) while the thread is still idle and reusable.
    this.spawned.worker.postMessage(message);
    this.state = "running";
    this.spawned.worker.ref();
    const { trialTimeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const timer =
        trialTimeoutMs === null ? null : setTimeout(() => this.timeOut(trial, trialTimeoutMs), trialTimeoutMs);
      this.current = { requestId, trial, presampled, resolve, reject, timer };
    });
  }

  /** Terminates the thread; the trial in flight, if any, rejects with TrialRunnerClosedError. */
  close(): Promise<void> {
    const what = this.current
      ? `while trial ${this.current.trial.number} was running`
      : "while the objective module was loading";
    return this.stop(new TrialRunnerClosedError(what));
  }

  private timeOut(trial: BaseTrial, afterMs: number): void {
    void this.stop(new TrialTimeoutError(trial.number, afterMs / 1000));
  }

  private stop(reason: Error): Promise<void> {
    if (this.state === "stopping" || this.state === "exited") return this.exited;
    this.state = "stopping";
    this.endReason = reason;
    void this.spawned.worker.terminate();
    return this.exited;
  }

  private onMessage(message: ThreadOutput): void {
    if (this.state === "stopping" || this.state === "exited") return;
    switch (message.type) {
      case "ready":
        this.state = "idle";
        this.spawned.worker.unref();
        this.settleReady.resolve();
        return;
      case "load-failed":
        void this.stop(new ObjectiveLoadError(this.options.objectivePath, message.reason));
        return;
      case "call":
        this.answer(message);
        return;
      case "result":
      case "error":
        this.settle(message);
        return;
      default:
        message satisfies never;
    }
  }

  /** Serves a call and wakes the thread, which is blocked in Atomics.wait until then. */
  private answer(call: Call): void {
    this.calls += 1;
    const current = this.current;
    const reply: CallReply = {
      type: "call-reply",
      callId: call.callId,
      outcome:
        current !== null && current.requestId === call.requestId
          ? this.serve(current, call)
          : {
              ok: false,
              error: {
                name: "TrialStateError",
                message: `trial.${call.method}() was called after its trial had finished.`,
              },
            },
    };
    const { callPort, callFlag } = this.spawned;
    callPort.postMessage(reply);
    Atomics.store(callFlag, 0, 1);
    Atomics.notify(callFlag, 0);
  }

  // The thread's own answers came first: a replay that throws stands for an error at the
  // objective's earlier suggest line, so the thread gets it instead of this call's outcome.
  private serve(current: RunningTrial, call: Call): CallOutcome {
    const replayError = this.replayLocalAnswers(current);
    return replayError === null ? serveTrialCall(current.trial, call) : { ok: false, error: replayError };
  }

  /** The objective returned or threw: replay the thread's own answers, then settle the run. */
  private settle(message: TrialResult | TrialError): void {
    const current = this.finish(message.requestId);
    if (current === null) return;
    // A replay that throws stands for an error at an earlier suggest line, before this end.
    const replayError = this.replayLocalAnswers(current);
    if (replayError !== null) current.reject(new RemoteError(replayError));
    else if (message.type === "result") current.resolve(message.value);
    else current.reject(new RemoteError(message.error));
  }

  /**
   * Replays on the real trial what the thread answered by itself since the last replay. Called
   * only while the thread cannot answer more: blocked in a call, done with the trial, or gone.
   */
  private replayLocalAnswers(current: RunningTrial): SerializedError | null {
    if (current.presampled.length === 0 || this.answerLog === null) return null;
    return replayLocalAnswers(current.trial, current.presampled, this.answerLog.drain());
  }

  private finish(requestId: number): RunningTrial | null {
    const current = this.current;
    if (current === null || current.requestId !== requestId) return null;
    if (current.timer) clearTimeout(current.timer);
    this.current = null;
    this.state = "idle";
    this.spawned.worker.unref();
    return current;
  }

  private onExit(exitCode: number): void {
    this.state = "exited";
    this.spawned.callPort.close();
    const crash = describeCrash(exitCode, this.uncaught, this.options.resourceLimits.maxOldGenerationSizeMb);
    // A no-op once `ready` resolved: only a thread that ends while loading fails it.
    const { objectivePath } = this.options;
    this.settleReady.reject(
      this.endReason ?? new ObjectiveLoadError(objectivePath, `its thread ${crash.detail} while loading it`),
    );
    const current = this.current;
    if (current) {
      if (current.timer) clearTimeout(current.timer);
      this.current = null;
      // Params the thread answered by itself still reach the trial (as they did when every
      // suggestion was a round trip). The thread's end, not a replay error, is why the run fails.
      this.replayLocalAnswers(current);
      const cause = this.uncaught ?? undefined;
      current.reject(
        this.endReason ?? new ThreadCrashedError(current.trial.number, crash.kind, exitCode, crash.detail, { cause }),
      );
    }
    this.resolveExited();
  }
}

function describeCrash(exitCode: number, uncaught: Error | null, heapLimitMb: number): { kind: ThreadCrashKind; detail: string } {
  const code = (uncaught as NodeJS.ErrnoException | null)?.code;
  if (code === "ERR_WORKER_OUT_OF_MEMORY") {
    const raise = "raise it with --trial-memory MB, or the trialMemoryMb option";
    return { kind: "out-of-memory", detail: `ran out of memory (heap limit ${heapLimitMb} MB; ${raise})` };
  }
  if (uncaught) return { kind: "uncaught-error", detail: `crashed with an uncaught ${describeError(uncaught)}` };
  // A trial thread ends by itself only through process.exit: its port keeps it alive otherwise.
  return {
    kind: "exited",
    detail: `exited with code ${exitCode}: the objective (or a module it uses) called process.exit(); return a value or throw instead`,
  };
}

function snapshot(trial: BaseTrial): TrialSnapshot {
  return {
    number: trial.number,
    params: { ...trial.params },
    distributions: { ...trial.distributions },
    userAttrs: { ...trial.userAttrs },
  };
}
