import type { Distribution, ParamValue } from "../distributions.js";
import type { FrozenTrial, StudyDirection } from "../frozen-trial.js";
import type { TrialState } from "../trial-state.js";

/** One line of `getAllStudies`. */
export interface StudySummary {
  readonly studyId: number;
  readonly studyName: string;
  /** One per objective. */
  readonly directions: readonly StudyDirection[];
  readonly nTrials: number;
  /** The best COMPLETE trial of a single-objective study; null on a multi-objective one. */
  readonly bestTrial: FrozenTrial | null;
  readonly datetimeStart: Date | null;
}

/** When a trial really started and ended, if not now. */
export interface TrialTimes {
  readonly start?: Date | null;
  readonly complete?: Date;
}

/** What a new trial starts with: WAITING trials carry the params fixed by `enqueueTrial`. */
export interface TrialTemplate {
  readonly state?: TrialState;
  readonly userAttrs?: Record<string, unknown>;
  readonly systemAttrs?: Record<string, unknown>;
}

/**
 * Where studies and trials live. Synchronous by design: samplers and the trial API read it on
 * every suggest call, as in Optuna. A storage backed by a remote store keeps a local copy and
 * writes through (see `flush`).
 */
export interface Storage {
  /** How log lines name it: `in memory`, `in Redis at redis://...`. */
  readonly description?: string;
  /**
   * Creates a study with one direction per objective; throws StudyNameError if the name is
   * taken. Returns its id.
   */
  createStudy(studyName: string, directions: readonly StudyDirection[]): number;
  /** The id of a study by name; throws StudyNameError if there is none. */
  getStudyIdFromName(studyName: string): number;
  getStudyName(studyId: number): string;
  /** The study's directions, one per objective. */
  getStudyDirections(studyId: number): readonly StudyDirection[];
  getAllStudies(): StudySummary[];
  setStudyUserAttr(studyId: number, key: string, value: unknown): void;
  getStudyUserAttrs(studyId: number): Readonly<Record<string, unknown>>;

  /** Creates the study's next trial (RUNNING unless the template says WAITING) and returns it. */
  createTrial(studyId: number, template?: TrialTemplate): FrozenTrial;
  /** Moves the oldest WAITING trial to RUNNING and returns it, or null when none waits. */
  popWaitingTrial(studyId: number): FrozenTrial | null;
  /**
   * Records a param. Throws IncompatibleDistributionError when the study already knows the name
   * with a distribution of another kind, and TrialStateError when the trial has finished.
   */
  setTrialParam(trialId: number, name: string, value: ParamValue, distribution: Distribution): void;
  /**
   * Moves a trial to a state (a finished trial cannot move again: TrialStateError), with its
   * values (one per objective) or null. `times` overrides the clock, for results that carry when a
   * remote worker started and ended the trial.
   */
  setTrialState(trialId: number, state: TrialState, values?: readonly number[] | null, times?: TrialTimes): FrozenTrial;
  /** Removes a param from a RUNNING trial (one proposed for it that its objective never asked for). */
  deleteTrialParam(trialId: number, name: string): void;
  setTrialIntermediateValue(trialId: number, step: number, value: number): void;
  setTrialUserAttr(trialId: number, key: string, value: unknown): void;
  setTrialSystemAttr(trialId: number, key: string, value: unknown): void;

  getTrial(trialId: number): FrozenTrial;
  /** A study's trial by number, or null when it has no such trial. */
  getTrialByNumber(studyId: number, number: number): FrozenTrial | null;
  /** The study's trials in number order, optionally only those in `states`. Do not mutate. */
  getAllTrials(studyId: number, states?: readonly TrialState[]): readonly FrozenTrial[];
  /** How many of the study's trials are in each state, without reading the trials. */
  countTrialsByState(studyId: number): Readonly<Record<TrialState, number>>;
  /** The best COMPLETE trial of a single-objective study, or null (always null with several objectives). */
  getBestTrial(studyId: number): FrozenTrial | null;
  /** The distribution a parameter was first recorded with in the study, if any. */
  getParamDistribution(studyId: number, name: string): Distribution | undefined;
  /** Every parameter the study has seen, with the distribution it was first recorded with. */
  getParamDistributions(studyId: number): Record<string, Distribution>;

  /** Resolves once every write so far is durable. In-memory storage resolves at once. */
  flush?(): Promise<void>;
}
