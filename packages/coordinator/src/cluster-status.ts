import { isBetter, isFeasible, paretoFrontTrials, TrialState, type FrozenTrial, type StudyDirection } from "@shoal/core";
import {
  DEFAULT_QUEUE,
  listWorkers,
  readRunningTrialNumbers,
  readStudyForWatching,
  readStudyLease,
  ShoalKeys,
  type WorkerAnnouncement,
} from "@shoal/redis";
import { StudyNameError } from "@shoal/core";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";

/** What `shoal status` shows: the study, its queue, its running trials and the workers. */
export interface ClusterStatus {
  studyName: string;
  /** One per objective. */
  directions: StudyDirection[];
  objective: string | null;
  counts: Record<TrialState, number>;
  queue: { name: string; waiting: number; active: number; delayed: number; failed: number; completed: number };
  /**
   * RUNNING trials, queued or started. `params` are the ones the trial's job carries (pre-sampled
   * by the coordinator) and any it recorded since; a define-by-run parameter shows once it ends.
   */
  running: Array<{ number: number; worker: string | null; since: Date | null; params: FrozenTrial["params"]; distributions: FrozenTrial["distributions"] }>;
  /** The best COMPLETE trial of a single-objective study; null with several objectives (see paretoFront). */
  best: FrozenTrial | null;
  /** The Pareto front of the COMPLETE feasible trials (on one objective: the trials with the best value). */
  paretoFront: FrozenTrial[];
  coordinator: { holder: string; ttlMs: number } | null;
  workers: WorkerAnnouncement[];
  trials: FrozenTrial[];
}

/** Reads a study's status straight from Redis (no lease needed: it only reads). */
export async function readClusterStatus(
  redis: Redis,
  options: { studyName: string; prefix?: string; queue?: string },
): Promise<ClusterStatus> {
  const keys = new ShoalKeys(options.prefix);
  const queueName = options.queue ?? DEFAULT_QUEUE;
  const study = await readStudyForWatching(redis, keys, options.studyName, queueName);
  if (!study) throw new StudyNameError(`No study named "${options.studyName}" under the prefix "${keys.prefix}".`);
  const { hash, trials } = study;
  const counts = { RUNNING: 0, COMPLETE: 0, PRUNED: 0, FAIL: 0, WAITING: 0 } as Record<TrialState, number>;
  for (const t of trials) counts[t.state] += 1;
  const runningNumbers = new Set(await readRunningTrialNumbers(redis, keys, options.studyName));
  const running = trials
    .filter((t) => t.state === TrialState.RUNNING || runningNumbers.has(t.number))
    .map((t) => ({
      number: t.number,
      worker: typeof t.systemAttrs.worker === "string" ? t.systemAttrs.worker : null,
      since: t.systemAttrs.worker ? t.datetimeStart : null,
      // A running trial's params are the coordinator's proposal until its result replaces them.
      params: t.params,
      distributions: t.distributions,
    }));
  let best: FrozenTrial | null = null;
  if (hash.directions.length === 1) {
    for (const t of trials) {
      if (t.state !== TrialState.COMPLETE || t.value === null || !isFeasible(t)) continue;
      if (!best || isBetter(hash.directions[0]!, t.value, best.value as number)) best = t;
    }
  }
  const queue = new Queue(queueName, { connection: redis, prefix: keys.prefix });
  const jobCounts = await queue.getJobCounts("waiting", "active", "delayed", "failed", "completed", "prioritized");
  await queue.close();
  const lease = await readStudyLease(redis, keys, options.studyName);
  return {
    studyName: options.studyName,
    directions: hash.directions,
    objective: hash.objective ?? null,
    counts,
    queue: {
      name: queueName,
      waiting: (jobCounts.waiting ?? 0) + (jobCounts.prioritized ?? 0),
      active: jobCounts.active ?? 0,
      delayed: jobCounts.delayed ?? 0,
      failed: jobCounts.failed ?? 0,
      completed: jobCounts.completed ?? 0,
    },
    running,
    best,
    paretoFront: paretoFrontTrials(trials, hash.directions),
    coordinator: lease,
    workers: await listWorkers(redis, keys, queueName),
    trials,
  };
}
