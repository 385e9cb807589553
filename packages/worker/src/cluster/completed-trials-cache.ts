import { TrialState, type FrozenTrial, type StudyDirection, type StudyView } from "@shoal/core";
import { MalformedPayloadError, markStudyReported, PartialStudyError, readStudyHash, readTrialProgress, type ShoalKeys, type StudyHash } from "@shoal/redis";
import type { Redis } from "ioredis";

/**
 * The COMPLETE trials of a study with their intermediate values, as a worker's pruner needs
 * them: read from Redis and refreshed at most every `maxAgeMs`. A completed trial never changes,
 * so each refresh reads only the trials that were not complete yet.
 */
export class CompletedTrialsCache {
  private readonly complete = new Map<number, FrozenTrial>();
  /** Trials that reached a final state: never read again. */
  private readonly settled = new Set<number>();
  private readAt = 0;
  /** `complete` in number order, as the view returns it. */
  private sorted: FrozenTrial[] = [];
  private refreshing: Promise<void> | null = null;
  /** This worker has flagged the study as one whose trials report. */
  private flagged = false;
  private missing = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: ShoalKeys,
    readonly studyName: string,
    private readonly maxAgeMs = 1000,
  ) {}

  /** A StudyView over the cached completed trials (all a pruner reads). */
  view(directions: readonly StudyDirection[]): StudyView {
    return {
      studyName: this.studyName,
      directions,
      // Pruners are for single-objective studies (as Optuna's): the first direction.
      direction: directions[0]!,
      getTrials: ({ states } = {}) => {
        return states && !states.includes(TrialState.COMPLETE) ? [] : this.sorted;
      },
    };
  }

  /**
   * The study's hash was missing, partial or malformed at the last refresh: Redis lost the study
   * (or it never existed). While so, every refresh reads it again.
   */
  get studyMissing(): boolean {
    return this.missing;
  }

  /** Refreshes when older than maxAgeMs; concurrent callers share one refresh. */
  async refresh(): Promise<void> {
    if (Date.now() - this.readAt < this.maxAgeMs) return;
    this.refreshing ??= this.read().finally(() => {
      this.refreshing = null;
    });
    await this.refreshing;
  }

  /**
   * A trial of this study reported: flags the study in Redis (once per worker), so every worker's
   * pruner starts reading values, and refreshes.
   */
  async noteReport(): Promise<void> {
    if (!this.flagged) {
      this.flagged = true;
      await markStudyReported(this.redis, this.keys, this.studyName);
      this.readAt = 0;
    }
    await this.refresh();
  }

  private async read(): Promise<void> {
    let hash: StudyHash | null;
    try {
      hash = await readStudyHash(this.redis, this.keys, this.studyName);
    } catch (error) {
      if (!(error instanceof PartialStudyError || error instanceof MalformedPayloadError)) throw error;
      hash = null;
    }
    if (hash === null) {
      this.missing = true;
      // Restored by its coordinator, the study may lack the reported flag this worker set: set it again.
      this.flagged = false;
      this.readAt = 0;
      return;
    }
    this.missing = false;
    // A study whose trials never report has nothing for a pruner: its trials are not read at all.
    if (!hash.reported) {
      this.readAt = Date.now();
      return;
    }
    const numbers: number[] = [];
    for (let n = 0; n < hash.nextNumber; n++) if (!this.settled.has(n)) numbers.push(n);
    for (const t of await readTrialProgress(this.redis, this.keys, this.studyName, numbers)) {
      if (t.state === TrialState.PRUNED || t.state === TrialState.FAIL) this.settled.add(t.number);
      if (t.state !== TrialState.COMPLETE) continue;
      this.settled.add(t.number);
      this.complete.set(t.number, {
        trialId: -1, number: t.number, state: TrialState.COMPLETE, value: t.value, values: t.value === null ? null : [t.value], params: {}, distributions: {},
        userAttrs: {}, systemAttrs: {}, intermediateValues: t.intermediateValues, datetimeStart: null, datetimeComplete: null, duration: null,
      });
    }
    // Sorted once per refresh, not at every shouldPrune.
    this.sorted = [...this.complete.values()].sort((a, b) => a.number - b.number);
    this.readAt = Date.now();
  }
}
