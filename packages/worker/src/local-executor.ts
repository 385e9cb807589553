import type { ResourceLimits } from "node:worker_threads";
import { checkIntegerOption, type OptimizeCallback, type Study } from "@shoal/core";
import { TrialRunner } from "./trial-runner.js";

/** Options of `optimizeLocally`. */
export interface LocalExecutorOptions {
  /** The module exporting `objective(trial)`: a path or a `file:` URL (`.js`, `.mjs`, `.ts`). */
  objectiveModule: string;
  /** Trials run at once, each in its own worker thread. @default 1 */
  jobs?: number;
  /** How many trials to run; unbounded (until `timeout` or `study.stop()`) when left out. */
  nTrials?: number;
  /** Start no new trial after this many seconds. */
  timeout?: number;
  /** Fail a trial (and replace its thread) after this many seconds. @default no limit */
  trialTimeoutSeconds?: number;
  /** The heap limit of each trial's thread, in MB (see TrialRunnerOptions). @default DEFAULT_TRIAL_MEMORY_MB */
  trialMemoryMb?: number;
  /** Other limits of each thread (see TrialRunnerOptions). @default Node's */
  resourceLimits?: ResourceLimits;
  /** @default false */
  showProgressBar?: boolean;
  callbacks?: OptimizeCallback[];
  /**
   * true: every trial error fails the trial and the study goes on. false: the first error is
   * re-thrown once its trial is recorded as FAIL, as Optuna does without `catch`. @default true
   */
  catchErrors?: boolean;
}

/**
 * Optimizes `study` with the objective module's trials run in a pool of `jobs` worker threads of
 * this process: the local executor, with no Redis. Loads the module in every thread before the
 * first trial (ObjectiveLoadError if it cannot) and terminates every thread before returning.
 */
export async function optimizeLocally(study: Study, options: LocalExecutorOptions): Promise<void> {
  const jobs = checkIntegerOption("jobs", options.jobs ?? 1, 1);
  const runner = new TrialRunner({
    objectiveModule: options.objectiveModule,
    // A thread per job, but none that no trial would use.
    threads: options.nTrials === undefined ? jobs : Math.max(1, Math.min(jobs, options.nTrials)),
    trialTimeoutSeconds: options.trialTimeoutSeconds,
    trialMemoryMb: options.trialMemoryMb,
    resourceLimits: options.resourceLimits,
  });
  try {
    await runner.check();
    // The Study judges the value itself: NaN or a non-number fails the trial with the reason.
    await study.optimize((trial) => runner.run(trial) as Promise<number>, {
      nTrials: options.nTrials,
      timeout: options.timeout,
      callbacks: options.callbacks,
      showProgressBar: options.showProgressBar,
      concurrency: jobs,
      catch: options.catchErrors === false ? undefined : () => true,
    });
  } finally {
    await runner.close();
  }
}
