import { stat } from "node:fs/promises";
import type { BaseTrial } from "@shoal/core";
import { ObjectiveLoadError, TrialRunnerClosedError } from "./errors.js";
import { presampledParamsOf } from "./thread-protocol/presampled-params.js";
import { TrialThread } from "./trial-thread.js";
import {
  compileTrialRunnerOptions,
  type CompiledTrialRunnerOptions,
  type TrialRunnerOptions,
} from "./trial-runner-options.js";

/**
 * Runs trials of an objective module in a pool of worker threads, one trial per thread at a
 * time, so a CPU-bound objective never blocks the caller's event loop. Inside its thread the
 * objective gets a trial whose calls (suggest, report, shouldPrune, setUserAttr) are synchronous
 * and run on the real trial passed to `run` (a PresampledTrial's offered suggestions are
 * answered in the thread, then replayed on it).
 *
 * Threads start when first needed and are reused: the module loads once per thread. A thread is
 * replaced only after a timeout or a crash. Call `close()` when done.
 */
export class TrialRunner {
  private readonly options: CompiledTrialRunnerOptions;
  /** Every thread not yet exited, idle or not. */
  private readonly threads = new Set<TrialThread>();
  /** Loaded threads with no trial, most recently used last. */
  private readonly idle: TrialThread[] = [];
  /** Callers waiting for one of the `options.threads` slots. */
  private readonly waiting: Array<{ resolve: () => void; reject: (error: Error) => void; closedWhat: string }> = [];
  private busySlots = 0;
  private closed = false;

  constructor(options: TrialRunnerOptions) {
    this.options = compileTrialRunnerOptions(options);
  }

  /** Threads alive now: at most the `threads` option. */
  get threadCount(): number {
    return this.threads.size;
  }

  /**
   * Starts the pool: each of the `threads` threads loads the objective module, in parallel, and
   * stays for the trials. Throws ObjectiveLoadError when the file is missing, fails to import or
   * exports no objective function. Optional: `run` starts threads as it needs them.
   */
  async check(): Promise<void> {
    const { objectivePath, threads } = this.options;
    const stats = await stat(objectivePath).catch(() => null);
    if (stats === null) throw new ObjectiveLoadError(objectivePath, "the file does not exist");
    if (!stats.isFile()) throw new ObjectiveLoadError(objectivePath, "it is not a file");
    const load = (): Promise<void> => this.withThread("before the objective module was checked", async () => undefined);
    await Promise.all(Array.from({ length: threads }, load));
  }

  /**
   * Runs the objective for `trial` in a free thread and resolves with whatever it returns. Rejects
   * with the objective's error (same name, message and stack), TrialTimeoutError,
   * ThreadCrashedError, ObjectiveLoadError or TrialRunnerClosedError. `trialTimeoutSeconds`
   * counts from the start of the objective, not from the module's loading. When `trial` is a
   * PresampledTrial, its offered suggestions are answered in the thread (see PresampledTrial).
   * A run waits for a free thread when all are busy; `onStart` is called once one takes it,
   * right before the objective starts.
   */
  run(trial: BaseTrial, onStart?: () => void): Promise<unknown> {
    return this.withThread(`before trial ${trial.number} started`, (thread) => {
      onStart?.();
      return thread.run(trial, presampledParamsOf(trial));
    });
  }

  /** Threads running a trial (or loading the objective for one) now; runs waiting for one are not counted. */
  get busy(): number {
    return this.busySlots;
  }

  /** Terminates every thread; runs in flight or waiting reject with TrialRunnerClosedError. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) {
      waiter.reject(new TrialRunnerClosedError(waiter.closedWhat));
    }
    this.idle.length = 0;
    await Promise.all([...this.threads].map((thread) => thread.close()));
  }

  private async withThread<T>(closedWhat: string, use: (thread: TrialThread) => Promise<T>): Promise<T> {
    if (this.closed) throw new TrialRunnerClosedError(closedWhat);
    await this.acquireSlot(closedWhat);
    let thread: TrialThread | undefined;
    try {
      // A slot freed just before close() may reach a waiter after it: start no thread then.
      if (this.closed) throw new TrialRunnerClosedError(closedWhat);
      thread = this.idle.pop() ?? this.startThread();
      await thread.ready;
      return await use(thread);
    } finally {
      if (thread?.isIdle && !this.closed) this.idle.push(thread);
      this.releaseSlot();
    }
  }

  private startThread(): TrialThread {
    const thread = new TrialThread(this.options, (exited) => {
      this.threads.delete(exited);
      const index = this.idle.indexOf(exited);
      if (index >= 0) this.idle.splice(index, 1);
    });
    this.threads.add(thread);
    return thread;
  }

  private acquireSlot(closedWhat: string): Promise<void> {
    if (this.busySlots < this.options.threads) {
      this.busySlots += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject, closedWhat }));
  }

  // A freed slot passes straight to the next waiter, so busySlots never dips in between.
  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next.resolve();
    else this.busySlots -= 1;
  }
}
