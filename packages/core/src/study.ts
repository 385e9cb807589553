import type { Distribution, ParamValue } from "./distributions.js";
import {
  checkIntegerOption,
  InvalidOptionError,
  MultiObjectiveError,
  NoCompletedTrialsError,
  serializeError,
  StudyNameError,
  TrialStateError,
} from "./errors.js";
import type { FrozenTrial, StudyDirection } from "./frozen-trial.js";
import { paretoFrontIndices, toLosses } from "./multi-objective/dominance.js";
import { isFeasible } from "./constraints.js";
import { getLogger, type Logger } from "./logging.js";
import { ProgressBar, progressDescription } from "./progress-bar.js";
import { MedianPruner } from "./pruners/median-pruner.js";
import type { Pruner } from "./pruners/pruner.js";
import { pyFloat, pyParams } from "./python-repr.js";
import { evaluateObjective, judgeTrialEnd, type TrialEnd, type TrialOutcome } from "./trial-end.js";
import type { Sampler } from "./samplers/sampler.js";
import { TPESampler } from "./samplers/tpe/index.js";
import { InMemoryStorage } from "./storage/in-memory-storage.js";
import type { Storage, TrialTimes } from "./storage/storage.js";
import type { StudyView } from "./study-view.js";
import { Trial, type BaseTrial } from "./trial.js";
import { TrialState } from "./trial-state.js";

/**
 * The function a study optimizes: sync or async, returning the objective value, or on a
 * multi-objective study an array of values, one per direction.
 */
export type Objective = (trial: BaseTrial) => number | readonly number[] | Promise<number | readonly number[]>;

/** Called after each finished trial of `optimize`. */
export type OptimizeCallback = (study: Study, trial: FrozenTrial) => void;

/** Error classes (or a test) whose errors `optimize` records as FAIL and then carries on past. */
export type CatchOption = ReadonlyArray<abstract new (...args: never[]) => unknown> | ((error: unknown) => boolean);

/** Options of `study.optimize`. */
export interface OptimizeOptions {
  /** How many trials to run; unbounded (until `timeout` or `stop()`) when left out. */
  nTrials?: number;
  /** Start no new trial after this many seconds. */
  timeout?: number;
  callbacks?: readonly OptimizeCallback[];
  /** Errors that fail the trial but let the study go on; any other is re-thrown once recorded. */
  catch?: CatchOption;
  /** How many trials run at once (for async objectives). @default 1 */
  concurrency?: number;
  /** A tqdm-style bar on standard error when it is a terminal. @default false */
  showProgressBar?: boolean;
}

/** Options of createStudy. */
export interface CreateStudyOptions {
  /** @default `no-name-<uuid>` */
  studyName?: string;
  /** The direction of a single-objective study. @default "minimize" */
  direction?: StudyDirection;
  /** One direction per objective, for a multi-objective study (give this or `direction`, not both). */
  directions?: readonly StudyDirection[];
  /** @default new TPESampler() */
  sampler?: Sampler;
  /** @default new MedianPruner() */
  pruner?: Pruner;
  /** @default a new InMemoryStorage */
  storage?: Storage;
  /** Load the study when one of that name exists instead of failing. @default false */
  loadIfExists?: boolean;
  /** @default the shared logger (Optuna-style lines on standard error) */
  logger?: Logger;
}

/** Options of loadStudy. */
export interface LoadStudyOptions {
  studyName: string;
  storage: Storage;
  sampler?: Sampler;
  pruner?: Pruner;
  logger?: Logger;
}

/**
 * An optimization task: its directions (one per objective), a sampler, a pruner and the trials
 * so far, as in Optuna.
 * Create one with `createStudy`; run it with `optimize`, or drive it yourself with `ask`/`tell`.
 */
export class Study implements StudyView {
  readonly studyName: string;
  /** One per objective. */
  readonly directions: readonly StudyDirection[];
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly storage: Storage;
  readonly logger: Logger;
  /** @internal */
  readonly studyId: number;
  private stopRequested = false;

  /** @internal Use createStudy or loadStudy. */
  constructor(studyId: number, storage: Storage, sampler: Sampler, pruner: Pruner, logger: Logger) {
    this.studyId = studyId;
    this.storage = storage;
    this.sampler = sampler;
    this.pruner = pruner;
    this.logger = logger;
    this.studyName = storage.getStudyName(studyId);
    this.directions = storage.getStudyDirections(studyId);
  }

  /** The direction of a single-objective study; throws MultiObjectiveError on a multi-objective one. */
  get direction(): StudyDirection {
    if (this.directions.length !== 1) throw new MultiObjectiveError(this.studyName, this.directions.length, "direction", "study.directions");
    return this.directions[0]!;
  }

  /** Whether the study has more than one objective. */
  get isMultiObjective(): boolean {
    return this.directions.length > 1;
  }

  /** Every trial, in number order. */
  get trials(): FrozenTrial[] {
    return [...this.storage.getAllTrials(this.studyId)];
  }

  getTrials(options: { states?: readonly TrialState[] } = {}): readonly FrozenTrial[] {
    return this.storage.getAllTrials(this.studyId, options.states);
  }

  /**
   * The best COMPLETE trial; throws NoCompletedTrialsError while there is none, and
   * MultiObjectiveError on a multi-objective study (see `bestTrials`).
   */
  get bestTrial(): FrozenTrial {
    if (this.isMultiObjective) throw new MultiObjectiveError(this.studyName, this.directions.length, "best trial", "study.bestTrials (the Pareto front)");
    const best = this.storage.getBestTrial(this.studyId);
    if (!best) throw new NoCompletedTrialsError(this.studyName, this.storage.getAllTrials(this.studyId, [TrialState.COMPLETE]).length > 0);
    return best;
  }

  get bestValue(): number {
    return this.bestTrial.value as number;
  }

  get bestParams(): Record<string, ParamValue> {
    return { ...this.bestTrial.params };
  }

  /**
   * The Pareto front of the COMPLETE trials whose constraints (the `constraints` system attr,
   * when a sampler's constraintsFunc set it) all hold, in number order, as Optuna's
   * `best_trials`. On a single-objective study: every trial with the best value.
   */
  get bestTrials(): FrozenTrial[] {
    return paretoFrontTrials(this.storage.getAllTrials(this.studyId, [TrialState.COMPLETE]), this.directions);
  }

  get userAttrs(): Readonly<Record<string, unknown>> {
    return this.storage.getStudyUserAttrs(this.studyId);
  }

  setUserAttr(key: string, value: unknown): void {
    this.storage.setStudyUserAttr(this.studyId, key, value);
  }

  /** A system attr on one of the study's trials (see StudyView.setTrialSystemAttr). */
  setTrialSystemAttr(trialId: number, key: string, value: unknown): void {
    this.storage.setTrialSystemAttr(trialId, key, value);
  }

  /**
   * Starts a trial: the oldest enqueued one if any, else a new one. `fixedDistributions` are
   * suggested at once, so their values are in `trial.params` before the objective runs.
   */
  ask(fixedDistributions: Record<string, Distribution> = {}): Trial {
    const frozen = this.storage.popWaitingTrial(this.studyId) ?? this.storage.createTrial(this.studyId);
    const trial = this.trialOf(frozen);
    for (const [name, distribution] of Object.entries(fixedDistributions)) trial.suggest(name, distribution);
    return trial;
  }

  /**
   * Finishes a trial started with `ask`, as in Optuna: a finite number (an array of one per
   * direction on a multi-objective study) completes it; anything else (NaN, Infinity, a
   * non-number, an array of the wrong length, no value) fails it with the reason. `state` may
   * force PRUNED (value: the last reported one) or FAIL.
   */
  tell(
    trial: Trial | number,
    value?: number | readonly number[] | unknown,
    options: { state?: typeof TrialState.COMPLETE | typeof TrialState.PRUNED | typeof TrialState.FAIL } = {},
  ): FrozenTrial {
    const t = typeof trial === "number" ? this.runningTrial(trial) : trial;
    if (options.state === TrialState.PRUNED) return this.record(t, { kind: "pruned" });
    if (options.state === TrialState.FAIL) {
      return this.record(t, { kind: "error", error: new Error("The trial was told to fail.") });
    }
    return this.record(t, { kind: "value", value });
  }

  /** The next `ask` uses these params (any the objective asks for beyond them are sampled). */
  enqueueTrial(
    params: Record<string, ParamValue>,
    options: { userAttrs?: Record<string, unknown>; skipIfExists?: boolean } = {},
  ): void {
    if (options.skipIfExists) {
      const same = (t: FrozenTrial): boolean => {
        const p = (t.systemAttrs.fixedParams as Record<string, ParamValue> | undefined) ?? t.params;
        const keys = Object.keys(params);
        return keys.length === Object.keys(p).length && keys.every((k) => p[k] === params[k]);
      };
      if (this.storage.getAllTrials(this.studyId).some(same)) return;
    }
    this.storage.createTrial(this.studyId, {
      state: TrialState.WAITING,
      userAttrs: options.userAttrs ?? {},
      systemAttrs: { fixedParams: { ...params } },
    });
  }

  /** Asks `optimize` (or a cluster's coordinator) to start no new trial; running ones finish. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Whether `stop()` was called (since `optimize` last started). */
  get isStopRequested(): boolean {
    return this.stopRequested;
  }

  /**
   * Runs trials of `objective` until `nTrials` have run, `timeout` passed or `stop()` was called.
   * A trial whose objective throws is recorded as FAIL; the error is then re-thrown unless
   * `catch` covers it (Optuna's rule). `throw new TrialPruned()` records PRUNED.
   */
  async optimize(objective: Objective, options: OptimizeOptions = {}): Promise<void> {
    const { nTrials, timeout } = options;
    if (nTrials !== undefined) checkIntegerOption("nTrials", nTrials, 0);
    if (timeout !== undefined && !(typeof timeout === "number" && timeout > 0)) {
      throw new InvalidOptionError("timeout", `must be a number of seconds > 0, got ${String(timeout)}.`);
    }
    const concurrency = options.concurrency ?? 1;
    checkIntegerOption("concurrency", concurrency, 1);
    if (typeof objective !== "function") {
      throw new InvalidOptionError("objective", "must be a function (trial) => number.");
    }
    const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeout * 1000;
    const bar = options.showProgressBar ? new ProgressBar(nTrials ?? null, timeout ?? null, () => this.progressDescription()) : null;
    this.stopRequested = false;
    let started = 0;
    let fatal: { error: unknown } | null = null;

    const runOne = async (): Promise<boolean> => {
      if (this.stopRequested || fatal || Date.now() >= deadline) return false;
      if (nTrials !== undefined && started >= nTrials) return false;
      started += 1;
      const trial = this.ask();
      const outcome = await evaluateObjective(() => objective(trial));
      const frozen = this.record(trial, outcome);
      if (outcome.kind === "error" && !isCaught(options.catch, outcome.error)) {
        fatal ??= { error: outcome.error };
        return false;
      }
      for (const callback of options.callbacks ?? []) callback(this, frozen);
      bar?.tick();
      return true;
    };

    try {
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (await runOne());
        }),
      );
      await this.storage.flush?.();
    } finally {
      bar?.close();
    }
    if (fatal) throw (fatal as { error: unknown }).error;
  }

  /** The progress bar's text: the best trial, or the Pareto front's size with several objectives. */
  progressDescription(): string {
    if (this.isMultiObjective) return progressDescription(null, this.bestTrials.length);
    const best = this.storage.getBestTrial(this.studyId);
    return progressDescription(best ? { number: best.number, value: best.value as number } : null, null);
  }

  /** Records how a trial ended (judged by `judgeTrialEnd`), logs it the Optuna way and returns the stored trial. */
  record(trial: Trial, outcome: TrialOutcome, times?: TrialTimes): FrozenTrial {
    const current = this.finishableTrial(trial);
    return this.store(trial, current, judgeTrialEnd(outcome, current.intermediateValues, this.directions.length), times);
  }

  /**
   * Records a trial's end already judged (by a worker elsewhere, for example): the sampler hears
   * of it, the storage stores it, the log says it.
   */
  recordEnd(trial: Trial, end: TrialEnd, times?: TrialTimes): FrozenTrial {
    return this.store(trial, this.finishableTrial(trial), end, times);
  }

  private store(trial: Trial, current: FrozenTrial, end: TrialEnd, times: TrialTimes | undefined): FrozenTrial {
    // As Optuna: the trial's end is stored even when the sampler's afterTrial (a user's
    // constraintsFunc, say) throws, so a failing hook never leaves the trial RUNNING.
    let hookError: { error: unknown } | null = null;
    try {
      this.sampler.afterTrial?.(this, current, end.state, end.values);
    } catch (error) {
      hookError = { error };
    }
    if (end.failReason !== null) this.storage.setTrialSystemAttr(trial.trialId, "failReason", end.failReason);
    const frozen = this.storage.setTrialState(trial.trialId, end.state, end.values, times);
    this.logFinished(frozen, end);
    if (hookError !== null) throw hookError.error;
    return frozen;
  }

  private finishableTrial(trial: Trial): FrozenTrial {
    const current = trial.frozen();
    if (current.state !== TrialState.RUNNING) {
      throw new TrialStateError(`Trial ${trial.number} has already finished as ${current.state}.`);
    }
    return current;
  }

  private logFinished(trial: FrozenTrial, end: TrialEnd): void {
    // Formatting the params costs more than many a sampler step: skip it when nobody reads the line.
    const level = trial.state === TrialState.FAIL ? "warn" : "info";
    if (!this.logger.isLevelEnabled(level)) return;
    const fields = {
      event: "trial_finished",
      study: this.studyName,
      trial: trial.number,
      state: trial.state,
      value: trial.value,
      ...(this.isMultiObjective ? { values: trial.values } : {}),
      params: trial.params,
    };
    if (trial.state === TrialState.COMPLETE && this.isMultiObjective) {
      // Optuna's line for several objectives names no best trial: the best are a front.
      this.logger.info(
        fields,
        `Trial ${trial.number} finished with values: [${(trial.values ?? []).map(pyFloat).join(", ")}] and parameters: ` +
          `${pyParams(trial.params, trial.distributions)}.`,
      );
    } else if (trial.state === TrialState.COMPLETE) {
      // No best yet when every COMPLETE trial so far broke its constraints.
      const best = this.storage.getBestTrial(this.studyId);
      const line = `Trial ${trial.number} finished with value: ${pyFloat(trial.value as number)} and parameters: ${pyParams(trial.params, trial.distributions)}.`;
      if (best === null) this.logger.info(fields, `${line} No feasible trial yet.`);
      else this.logger.info({ ...fields, bestTrial: best.number, bestValue: best.value }, `${line} Best is trial ${best.number} with value: ${pyFloat(best.value as number)}.`);
    } else if (trial.state === TrialState.PRUNED) {
      this.logger.info(fields, `Trial ${trial.number} pruned. ${end.prunedMessage ?? ""}`.trimEnd());
    } else {
      const err = end.error === null ? undefined : serializeError(end.error);
      this.logger.warn(
        { ...fields, reason: end.failReason, err },
        `Trial ${trial.number} failed with parameters: ${pyParams(trial.params, trial.distributions)} ` +
          `because of the following error: ${end.failReason}.`,
      );
    }
  }

  /** The Trial object of a RUNNING trial, by number (for example one started by another process). */
  runningTrial(number: number): Trial {
    const frozen = this.storage.getTrialByNumber(this.studyId, number);
    if (!frozen || frozen.state !== TrialState.RUNNING) {
      throw new TrialStateError(`Trial ${number} is not a running trial of study "${this.studyName}".`);
    }
    return this.trialOf(frozen);
  }

  /** The live Trial over a stored one: the one place a Trial gets its study's context. */
  private trialOf(frozen: FrozenTrial): Trial {
    const context = { storage: this.storage, studyId: this.studyId, sampler: this.sampler, pruner: this.pruner, view: this, logger: this.logger };
    return new Trial(context, frozen.trialId, frozen.number);
  }
}

function isCaught(option: CatchOption | undefined, error: unknown): boolean {
  if (!option) return false;
  if (typeof option === "function") return option(error);
  return option.some((cls) => error instanceof (cls as abstract new (...args: never[]) => unknown));
}

function checkDirection(direction: unknown, option = "direction"): StudyDirection {
  if (direction === "minimize" || direction === "maximize") return direction;
  throw new InvalidOptionError(option, `must be "minimize" or "maximize", got ${JSON.stringify(direction)}.`);
}

/** The directions createStudy was given: `direction`, or `directions`, checked. */
function checkDirections(options: Pick<CreateStudyOptions, "direction" | "directions">): StudyDirection[] {
  if (options.directions === undefined) return [checkDirection(options.direction ?? "minimize")];
  if (options.direction !== undefined) {
    throw new InvalidOptionError("directions", "give either direction (one objective) or directions (one per objective), not both.");
  }
  if (!Array.isArray(options.directions) || options.directions.length === 0) {
    throw new InvalidOptionError("directions", `must be a non-empty array of "minimize"/"maximize", got ${JSON.stringify(options.directions)}.`);
  }
  return options.directions.map((d, i) => checkDirection(d, `directions[${i}]`));
}

/** How directions read in messages: `minimize` or `[minimize, maximize]`. */
function describeDirections(directions: readonly StudyDirection[]): string {
  return directions.length === 1 ? `"${directions[0]}"` : `[${directions.join(", ")}]`;
}

/**
 * The Pareto front of `trials` (COMPLETE ones with values), infeasible trials left out: the
 * trials no other feasible trial dominates, in number order.
 */
export function paretoFrontTrials(trials: readonly FrozenTrial[], directions: readonly StudyDirection[]): FrozenTrial[] {
  const candidates = trials.filter(
    (t) => t.state === TrialState.COMPLETE && t.values !== null && t.values.length === directions.length && isFeasible(t),
  );
  const front = paretoFrontIndices(candidates.map((t) => toLosses(t.values!, directions)));
  return front.map((i) => candidates[i]!);
}


/** Creates a study (in memory unless a storage is given), as optuna.create_study. */
export function createStudy(options: CreateStudyOptions = {}): Study {
  const storage = options.storage ?? new InMemoryStorage();
  const directions = checkDirections(options);
  const studyName = options.studyName ?? `no-name-${globalThis.crypto.randomUUID()}`;
  const logger = options.logger ?? getLogger();
  const sampler = options.sampler ?? new TPESampler();
  const pruner = options.pruner ?? new MedianPruner();
  let studyId: number;
  try {
    studyId = storage.createStudy(studyName, directions);
    logger.info(
      { event: "study_created", study: studyName, directions },
      `A new study created ${storage.description ?? "in memory"} with name: ${studyName}`,
    );
  } catch (error) {
    if (!(error instanceof StudyNameError) || !options.loadIfExists) throw error;
    studyId = storage.getStudyIdFromName(studyName);
    const stored = storage.getStudyDirections(studyId);
    const given = options.direction !== undefined || options.directions !== undefined;
    if (given && (stored.length !== directions.length || stored.some((d, i) => d !== directions[i]))) {
      throw new InvalidOptionError(
        options.directions !== undefined ? "directions" : "direction",
        `study "${studyName}" exists with direction${stored.length === 1 ? "" : "s"} ${describeDirections(stored)}, which differs from ${describeDirections(directions)}.`,
      );
    }
    logger.info(
      { event: "study_loaded", study: studyName },
      `Using an existing study with name '${studyName}' instead of creating a new one.`,
    );
  }
  return new Study(studyId, storage, sampler, pruner, logger);
}

/** Loads an existing study by name from a storage, as optuna.load_study. */
export function loadStudy(options: LoadStudyOptions): Study {
  const studyId = options.storage.getStudyIdFromName(options.studyName);
  return new Study(
    studyId,
    options.storage,
    options.sampler ?? new TPESampler(),
    options.pruner ?? new MedianPruner(),
    options.logger ?? getLogger(),
  );
}
