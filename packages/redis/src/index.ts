/**
 * @shoal/redis: studies in Redis behind core's Storage interface, the key layout, the job and
 * result schemas, and connections.
 */
export {
  createRedisConnection,
  parseRedisUrl,
  redactRedisUrl,
  resolveRedisUrl,
  type RedisUrlParts,
} from "./connection.js";
export {
  connectFirst,
  DEFAULT_CONNECT_TIMEOUT_MS,
  isAuthFailure,
  isConnectionFailure,
  logBullMqError,
  RedisOutageLog,
} from "./connection-errors.js";
export { MalformedPayloadError, PartialStudyError, RedisAuthError, RedisConnectionLostError, RedisUnreachableError, RedisUrlError, StudyDataLostError, StudyLeaseError, WorkerIdTakenError } from "./errors.js";
export { checkKeyName, DEFAULT_PREFIX, DEFAULT_QUEUE, ShoalKeys, trialJobId } from "./keys.js";
export { parsePayload } from "./parse-payload.js";
export { RedisStorage, type RestoredStudy, type StudyLoss } from "./redis-storage.js";
export {
  frozenTrialFromHash,
  trialEndOf,
  trialHashSchema,
  trialJobSchema,
  trialResultSchema,
  trialToHash,
  type TrialJob,
  type TrialResult,
} from "./schemas.js";
export { createStudy, loadStudy, type CreateRedisStudyOptions, type LoadRedisStudyOptions, type StorageOption } from "./study-factory.js";
export { markStudyReported, readStudyHash, setStudyObjective, studyHashSchema, type StudyHash } from "./study-hash.js";
export {
  countRunningTrials,
  listStudyNames,
  readRunningTrialNumbers,
  readStudyForWatching,
  readTrialJobWorker,
  readTrials,
} from "./study-reads.js";
export { decodeIntermediateValues, readTrialProgress, writeIntermediateValue, type TrialProgress } from "./trial-values.js";
export { objectiveIdOf } from "./objective-id.js";
export { DEFAULT_LEASE_TTL_MS, readStudyLease, StudyLease } from "./study-lease.js";
export {
  listWorkers,
  parseWorkerAnnouncement,
  WORKER_ANNOUNCEMENT_TTL_MS,
  WorkerIdClaim,
  workerAnnouncementSchema,
  type AnnouncementRefresh,
  type WorkerAnnouncement,
} from "./worker-announcements.js";
export {
  DEFAULT_COORDINATOR_SHUTDOWN_GRACE_MS,
  DEFAULT_WORKER_SHUTDOWN_GRACE_MS,
  ShutdownBound,
  ShutdownCutShortError,
  trialCount,
  type ShutdownBoundOptions,
  type ShutdownCut,
} from "./shutdown-bound.js";
export { readTrialRunner, startTrialJob, type StudyPresence, type TrialJobStart } from "./trial-job-start.js";
