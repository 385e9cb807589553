import { checkCompatible, type Distribution, type ParamValue } from "../distributions.js";
import { StudyNameError, TrialStateError } from "../errors.js";
import { isBetter, singleValue, type FrozenTrial, type StudyDirection } from "../frozen-trial.js";
import { isFeasible } from "../constraints.js";
import { isFinished, TrialState } from "../trial-state.js";
import type { Storage, StudySummary, TrialTemplate, TrialTimes } from "./storage.js";

interface StudyRecord {
  readonly studyId: number;
  readonly name: string;
  readonly directions: readonly StudyDirection[];
  readonly trials: FrozenTrial[];
  readonly distributions: Map<string, Distribution>;
  readonly userAttrs: Record<string, unknown>;
  bestTrialNumber: number | null;
  /** Trials per state, kept as they move: `ask` and the coordinator's loop read them without a scan. */
  readonly counts: Record<TrialState, number>;
}

function noTrials(): Record<TrialState, number> {
  return { RUNNING: 0, COMPLETE: 0, PRUNED: 0, FAIL: 0, WAITING: 0 };
}

/** Keeps studies in this process's memory: the embedded default. Lost when the process exits. */
export class InMemoryStorage implements Storage {
  readonly description = "in memory";
  private readonly studies = new Map<number, StudyRecord>();
  private readonly studyIdsByName = new Map<string, number>();
  /** trialId -> [studyId, number] */
  private readonly trialIndex: Array<readonly [number, number]> = [];
  private nextStudyId = 0;

  createStudy(studyName: string, directions: readonly StudyDirection[]): number {
    if (this.studyIdsByName.has(studyName)) {
      throw new StudyNameError(`A study named "${studyName}" already exists; load it or pick another name.`);
    }
    const studyId = this.nextStudyId++;
    this.studies.set(studyId, {
      studyId,
      name: studyName,
      directions: [...directions],
      trials: [],
      distributions: new Map(),
      userAttrs: {},
      bestTrialNumber: null,
      counts: noTrials(),
    });
    this.studyIdsByName.set(studyName, studyId);
    return studyId;
  }

  getStudyIdFromName(studyName: string): number {
    const id = this.studyIdsByName.get(studyName);
    if (id === undefined) throw new StudyNameError(`No study named "${studyName}" exists.`);
    return id;
  }

  getStudyName(studyId: number): string {
    return this.study(studyId).name;
  }

  getStudyDirections(studyId: number): readonly StudyDirection[] {
    return this.study(studyId).directions;
  }

  getAllStudies(): StudySummary[] {
    return [...this.studies.values()].map((s) => ({
      studyId: s.studyId,
      studyName: s.name,
      directions: s.directions,
      nTrials: s.trials.length,
      bestTrial: this.getBestTrial(s.studyId),
      datetimeStart: s.trials[0]?.datetimeStart ?? null,
    }));
  }

  setStudyUserAttr(studyId: number, key: string, value: unknown): void {
    this.study(studyId).userAttrs[key] = value;
  }

  getStudyUserAttrs(studyId: number): Readonly<Record<string, unknown>> {
    return { ...this.study(studyId).userAttrs };
  }

  createTrial(studyId: number, template: TrialTemplate = {}): FrozenTrial {
    const study = this.study(studyId);
    const state = template.state ?? TrialState.RUNNING;
    const trial: FrozenTrial = {
      trialId: this.trialIndex.length,
      number: study.trials.length,
      state,
      value: null,
      values: null,
      params: {},
      distributions: {},
      userAttrs: { ...template.userAttrs },
      systemAttrs: { ...template.systemAttrs },
      intermediateValues: {},
      datetimeStart: state === TrialState.RUNNING ? new Date() : null,
      datetimeComplete: null,
      duration: null,
    };
    this.trialIndex.push([studyId, trial.number]);
    study.trials.push(trial);
    study.counts[state] += 1;
    return trial;
  }

  popWaitingTrial(studyId: number): FrozenTrial | null {
    const study = this.study(studyId);
    if (study.counts.WAITING === 0) return null;
    const waiting = study.trials.find((t) => t.state === TrialState.WAITING);
    if (!waiting) return null;
    study.counts.WAITING -= 1;
    study.counts.RUNNING += 1;
    return this.replace(waiting.trialId, { state: TrialState.RUNNING, datetimeStart: new Date() });
  }

  setTrialParam(trialId: number, name: string, value: ParamValue, distribution: Distribution): void {
    const [studyId] = this.locate(trialId);
    const study = this.study(studyId);
    const trial = this.running(trialId);
    const known = study.distributions.get(name);
    if (known) checkCompatible(name, known, distribution);
    else study.distributions.set(name, distribution);
    this.replace(trialId, {
      params: { ...trial.params, [name]: value },
      distributions: { ...trial.distributions, [name]: distribution },
    });
  }

  deleteTrialParam(trialId: number, name: string): void {
    const trial = this.running(trialId);
    if (!Object.hasOwn(trial.params, name)) return;
    const params = { ...trial.params };
    const distributions = { ...trial.distributions };
    delete params[name];
    delete distributions[name];
    this.replace(trialId, { params, distributions });
  }

  /** How many trials the study has, WAITING ones included. */
  getTrialCount(studyId: number): number {
    return this.study(studyId).trials.length;
  }

  countTrialsByState(studyId: number): Readonly<Record<TrialState, number>> {
    return { ...this.study(studyId).counts };
  }

  setTrialState(trialId: number, state: TrialState, values: readonly number[] | null = null, times: TrialTimes = {}): FrozenTrial {
    const trial = this.getTrial(trialId);
    if (isFinished(trial.state)) {
      throw new TrialStateError(`Trial ${trial.number} has already finished as ${trial.state}.`);
    }
    const study = this.study(this.locate(trialId)[0]);
    // RUNNING back to WAITING is allowed: a trial that was queued but never started (see the cluster's coordinator).
    study.counts[trial.state] -= 1;
    study.counts[state] += 1;
    const now = times.complete ?? new Date();
    const start = state === TrialState.WAITING ? null : times.start !== undefined ? times.start : trial.datetimeStart;
    const kept = values === null ? null : [...values];
    const patch: Partial<Mutable<FrozenTrial>> = { state, value: singleValue(kept), values: kept, datetimeStart: start };
    if (state === TrialState.RUNNING && start === null) patch.datetimeStart = now;
    if (isFinished(state)) {
      patch.datetimeComplete = now;
      patch.duration = start ? now.getTime() - start.getTime() : null;
    }
    const updated = this.replace(trialId, patch);
    considerForBest(study, updated);
    return updated;
  }

  setTrialIntermediateValue(trialId: number, step: number, value: number): void {
    const trial = this.running(trialId);
    this.replace(trialId, { intermediateValues: { ...trial.intermediateValues, [step]: value } });
  }

  setTrialUserAttr(trialId: number, key: string, value: unknown): void {
    const trial = this.getTrial(trialId);
    this.replace(trialId, { userAttrs: { ...trial.userAttrs, [key]: value } });
  }

  setTrialSystemAttr(trialId: number, key: string, value: unknown): void {
    const trial = this.getTrial(trialId);
    this.replace(trialId, { systemAttrs: { ...trial.systemAttrs, [key]: value } });
  }

  /**
   * Puts a trial, as it was recorded elsewhere, into a study: how a storage backed by a remote
   * store fills its local copy. Its number must be the study's next one.
   */
  importTrial(studyId: number, trial: Omit<FrozenTrial, "trialId">): FrozenTrial {
    const study = this.study(studyId);
    if (trial.number !== study.trials.length) {
      throw new TrialStateError(`Cannot import trial ${trial.number}: the study's next number is ${study.trials.length}.`);
    }
    for (const [name, distribution] of Object.entries(trial.distributions)) {
      if (!study.distributions.has(name)) study.distributions.set(name, distribution);
    }
    const imported: FrozenTrial = { ...trial, trialId: this.trialIndex.length };
    this.trialIndex.push([studyId, trial.number]);
    study.trials.push(imported);
    study.counts[imported.state] += 1;
    considerForBest(study, imported);
    return imported;
  }

  getTrial(trialId: number): FrozenTrial {
    const [studyId, number] = this.locate(trialId);
    return this.study(studyId).trials[number] as FrozenTrial;
  }

  getAllTrials(studyId: number, states?: readonly TrialState[]): readonly FrozenTrial[] {
    const trials = this.study(studyId).trials;
    if (!states) return trials.slice();
    return trials.filter((t) => states.includes(t.state));
  }

  getTrialByNumber(studyId: number, number: number): FrozenTrial | null {
    return this.study(studyId).trials[number] ?? null;
  }

  getBestTrial(studyId: number): FrozenTrial | null {
    const study = this.study(studyId);
    return study.bestTrialNumber === null ? null : (study.trials[study.bestTrialNumber] ?? null);
  }

  getParamDistribution(studyId: number, name: string): Distribution | undefined {
    return this.study(studyId).distributions.get(name);
  }

  getParamDistributions(studyId: number): Record<string, Distribution> {
    return Object.fromEntries(this.study(studyId).distributions);
  }

  async flush(): Promise<void> {}

  private study(studyId: number): StudyRecord {
    const study = this.studies.get(studyId);
    if (!study) throw new StudyNameError(`No study with id ${studyId} exists.`);
    return study;
  }

  private locate(trialId: number): readonly [number, number] {
    const where = this.trialIndex[trialId];
    if (!where) throw new TrialStateError(`No trial with id ${trialId} exists.`);
    return where;
  }

  private running(trialId: number): FrozenTrial {
    const trial = this.getTrial(trialId);
    if (trial.state !== TrialState.RUNNING && trial.state !== TrialState.WAITING) {
      throw new TrialStateError(`Trial ${trial.number} has already finished as ${trial.state}; it cannot change.`);
    }
    return trial;
  }

  private replace(trialId: number, patch: Partial<Mutable<FrozenTrial>>): FrozenTrial {
    const [studyId, number] = this.locate(trialId);
    const trials = this.study(studyId).trials;
    const updated = { ...(trials[number] as FrozenTrial), ...patch };
    trials[number] = updated;
    return updated;
  }
}

/**
 * Makes `trial` the study's best when it is COMPLETE, feasible (its constraints, if a sampler
 * recorded them, all hold, as Optuna's best_trial) and better than the best so far (one
 * objective only: a multi-objective study's best trials are a front, which Study computes).
 */
function considerForBest(study: StudyRecord, trial: FrozenTrial): void {
  if (study.directions.length !== 1 || trial.state !== TrialState.COMPLETE || trial.value === null || !isFeasible(trial)) return;
  const best = study.bestTrialNumber === null ? null : study.trials[study.bestTrialNumber];
  if (!best || best.value === null || isBetter(study.directions[0]!, trial.value, best.value)) {
    study.bestTrialNumber = trial.number;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
