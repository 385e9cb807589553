/**
 * @shoal/worker: runs Shoal trials in worker_threads. The TrialRunner loads an objective module
 * in a pool of threads and serves each thread's synchronous trial calls; `optimizeLocally` runs a
 * study on it in this process (the local executor).
 */
export {
  ObjectiveLoadError,
  ThreadCrashedError,
  TrialRunnerClosedError,
  TrialTimeoutError,
  type ThreadCrashKind,
} from "./errors.js";
export { optimizeLocally, type LocalExecutorOptions } from "./local-executor.js";
export { TrialRunner } from "./trial-runner.js";
export { DEFAULT_TRIAL_MEMORY_MB, TRIAL_MEMORY_MB_RANGE, type TrialRunnerOptions } from "./trial-runner-options.js";
export { QueueWorker, STUDY_MISSING_GIVE_UP_MS, type QueueWorkerState } from "./cluster/queue-worker.js";
export { StrayJobError, type StrayReason } from "./cluster/stray-jobs.js";
export { compileQueueWorkerOptions, type CompiledQueueWorkerOptions, type QueueWorkerOptions } from "./cluster/queue-worker-options.js";
export { RemoteTrial } from "./cluster/remote-trial.js";
