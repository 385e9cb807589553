/** @shoal/coordinator: runs a study on the cluster: ask the sampler, enqueue trial jobs, record results. */
export { runCoordinator, type CoordinatorState } from "./coordinator.js";
export {
  compileCoordinatorOptions,
  DEFAULT_LEASE_WAIT_MS,
  type CompiledCoordinatorOptions,
  type CoordinatorOptions,
} from "./coordinator-options.js";
export { jobFailureReason, recordJobFailure, recordResult } from "./record-result.js";
export { proposeTrial, trialJobData, type Proposal } from "./trial-job.js";
export { readClusterStatus, type ClusterStatus } from "./cluster-status.js";
