/**
 * CMA-ES as Optuna's CmaEsSampler, built for a cluster. Numeric parameters of the relative search
 * space (the intersection of the completed trials' spaces) are sampled jointly from the CMA-ES
 * Gaussian on the unit cube; categorical ones, and parameters outside that space, by the
 * independent sampler.
 *
 * State lives in the trials, not in memory: each trial CMA-ES samples gets its run (`cma:restart`),
 * its generation (`cma:generation`) and the raw draw it came from (`cma:x`) as system attrs. A
 * generation is told once `popsize` of its trials are COMPLETE, in trial-number order, whichever
 * worker finished them and in whatever order; FAIL and PRUNED trials do not count, so the
 * generation is simply asked again. Any sampler object, on any coordinator, replays the told
 * generations from the storage and reaches the same state; a cache keyed by how far it has
 * replayed makes that incremental.
 */
import type { Distribution, ParamValue } from "../../distributions.js";
import { InvalidOptionError, MultiObjectiveError } from "../../errors.js";
import { lastStep, type FrozenTrial } from "../../frozen-trial.js";
import { deriveSeed, Rng } from "../../rng.js";
import type { StudyView } from "../../study-view.js";
import { TrialState } from "../../trial-state.js";
import { RandomSampler } from "../random-sampler.js";
import type { Sampler, SearchSpace } from "../sampler.js";
import { IntersectionSearchSpace, withoutSingles } from "../tpe/search-space.js";
import { createCma, sampleSolution, shouldStop, tellGeneration, type CmaState } from "./cma.js";
import { correctMargin, createMargin, encodeWithMargin, type MarginState } from "./margin.js";
import { cellOf, fromUnit, toUnit, unitDimensions, type UnitDimension } from "./unit-cube.js";
import { warmStartGaussian } from "./warm-start.js";

/** System attr: the restart (run) number a trial was sampled in, 0 for the first run. */
export const RESTART_ATTR = "cma:restart";
/** System attr: the generation, within its run, a trial was sampled in. */
export const GENERATION_ATTR = "cma:generation";
/** System attr: the raw unit-cube draw a trial's values were decoded from (what is told). */
export const DRAW_ATTR = "cma:x";

/** Options of CmaEsSampler (Optuna's, camel-cased). */
export interface CmaEsSamplerOptions {
  /**
   * Initial step size, as a fraction of each parameter's range (the space is scaled to [0, 1],
   * log ranges in log space). @default 1/6 (Optuna's min range / 6)
   */
  sigma0?: number;
  /** Trials per generation. @default 4 + floor(3 ln n) for n parameters */
  popsize?: number;
  /** COMPLETE trials before CMA-ES starts (the first ones come from the independent sampler). @default 1 */
  nStartupTrials?: number;
  seed?: number;
  /** Restart with a larger population (IPOP) or alternating large and small ones (BIPOP) when a run converges. @default none */
  restartStrategy?: "ipop" | "bipop";
  /** The factor a restart multiplies the population by. @default 2 */
  incPopsize?: number;
  /** CMA-ES with margin for int and stepped params, so they do not stick on one grid point. @default false */
  withMargin?: boolean;
  /** Sep-CMA-ES: a diagonal covariance, cheaper and faster to learn in many dimensions. @default false */
  useSeparableCma?: boolean;
  /** Trials of an earlier, similar study: the first run starts from a Gaussian fitted to their best. */
  warmStartTrials?: readonly FrozenTrial[];
  /** Samples categorical params and params outside the joint space. @default new RandomSampler({ seed }) */
  independentSampler?: Sampler;
  /** Count PRUNED trials, with their last reported value, as if they were COMPLETE. @default false */
  considerPrunedTrials?: boolean;
}

/** One CMA-ES run and how restarts have gone, replayed from the trials. */
interface RunState {
  /** The restart number of the current run. */
  restart: number;
  cma: CmaState;
  margin: MarginState | null;
  /** BIPOP's bookkeeping: which regime the current run is in and the evaluations each has used. */
  regime: "large" | "small";
  evalsLarge: number;
  evalsSmall: number;
  largeRestarts: number;
}

interface StudyCache {
  readonly space: IntersectionSearchSpace;
  /** The replayed state for one joint space (by its description): it only moves forward. */
  run: { key: string; state: RunState } | null;
}

export class CmaEsSampler implements Sampler {
  private readonly sigma0: number;
  private readonly popsize: number | undefined;
  private readonly nStartupTrials: number;
  private readonly seed: number;
  private readonly restartStrategy: "ipop" | "bipop" | undefined;
  private readonly incPopsize: number;
  private readonly withMargin: boolean;
  private readonly separable: boolean;
  private readonly warmStartTrials: readonly FrozenTrial[] | undefined;
  private readonly independent: Sampler;
  private readonly considerPruned: boolean;
  private readonly caches = new WeakMap<StudyView, StudyCache>();

  constructor(options: CmaEsSamplerOptions = {}) {
    const { sigma0, popsize, nStartupTrials, restartStrategy, incPopsize } = options;
    if (sigma0 !== undefined && !(typeof sigma0 === "number" && sigma0 > 0 && sigma0 <= 1)) {
      throw new InvalidOptionError("sigma0", `must be a number in (0, 1], a fraction of each parameter's range (the space is scaled to [0, 1]), got ${String(sigma0)}`);
    }
    if (popsize !== undefined && !(Number.isInteger(popsize) && popsize >= 2)) {
      throw new InvalidOptionError("popsize", `must be an integer >= 2 (trials per generation), got ${String(popsize)}`);
    }
    if (nStartupTrials !== undefined && !(Number.isInteger(nStartupTrials) && nStartupTrials >= 0)) {
      throw new InvalidOptionError("nStartupTrials", `must be an integer >= 0, got ${String(nStartupTrials)}`);
    }
    if (restartStrategy !== undefined && restartStrategy !== "ipop" && restartStrategy !== "bipop") {
      throw new InvalidOptionError("restartStrategy", `must be "ipop", "bipop" or left out (no restarts), got ${JSON.stringify(restartStrategy)}`);
    }
    if (incPopsize !== undefined && !(Number.isInteger(incPopsize) && incPopsize >= 1)) {
      throw new InvalidOptionError("incPopsize", `must be an integer >= 1 (the population factor per restart), got ${String(incPopsize)}`);
    }
    if (options.withMargin && options.useSeparableCma) {
      throw new InvalidOptionError("withMargin", "cannot be combined with useSeparableCma (as in Optuna): choose one");
    }
    this.sigma0 = sigma0 ?? 1 / 6;
    this.popsize = popsize;
    this.nStartupTrials = nStartupTrials ?? 1;
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.restartStrategy = restartStrategy;
    this.incPopsize = incPopsize ?? 2;
    this.withMargin = options.withMargin ?? false;
    this.separable = options.useSeparableCma ?? false;
    this.warmStartTrials = options.warmStartTrials;
    this.independent = options.independentSampler ?? new RandomSampler({ seed: deriveSeed(this.seed, "independent") });
    this.considerPruned = options.considerPrunedTrials ?? false;
  }

  inferRelativeSearchSpace(study: StudyView): SearchSpace {
    const cache = this.cacheOf(study);
    const space = withoutSingles(cache.space.calculate(this.usableTrials(study).map((u) => u.trial)));
    const numeric: SearchSpace = {};
    for (const [name, d] of Object.entries(space)) if (d.kind !== "categorical") numeric[name] = d;
    return numeric;
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue> {
    if (study.directions.length > 1) throw new MultiObjectiveError(study.studyName, study.directions.length, "value for CMA-ES to rank", "NSGAIISampler or TPESampler");
    const dims = unitDimensions(searchSpace);
    // One dimension: CMA-ES has nothing to adapt a covariance for; Optuna samples it independently.
    if (dims.length < 2) return {};
    const usable = this.usableTrials(study);
    if (usable.length < this.nStartupTrials) return {};
    const state = this.replay(study, dims, usable);
    const x = this.draw(state, dims, new Rng(deriveSeed(this.seed, trial.number, "cma")));
    study.setTrialSystemAttr?.(trial.trialId, RESTART_ATTR, state.restart);
    study.setTrialSystemAttr?.(trial.trialId, GENERATION_ATTR, state.cma.generation);
    study.setTrialSystemAttr?.(trial.trialId, DRAW_ATTR, x);
    const encoded = state.margin ? encodeWithMargin(state.cma, state.margin, x) : x;
    const params: Record<string, ParamValue> = {};
    dims.forEach((dim, i) => (params[dim.name] = fromUnit(dim, encoded[i]!)));
    return params;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return this.independent.sampleIndependent(study, trial, name, distribution);
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    this.independent.beforeTrial?.(study, trial);
  }

  afterTrial(study: StudyView, trial: FrozenTrial, state: TrialState, values: readonly number[] | null): void {
    this.independent.afterTrial?.(study, trial, state, values);
  }

  private cacheOf(study: StudyView): StudyCache {
    let cache = this.caches.get(study);
    if (!cache) this.caches.set(study, (cache = { space: new IntersectionSearchSpace(), run: null }));
    return cache;
  }

  /** COMPLETE trials (and PRUNED ones with a reported value, when considered) with the value CMA-ES ranks. */
  private usableTrials(study: StudyView): Array<{ trial: FrozenTrial; value: number }> {
    const states = this.considerPruned ? [TrialState.COMPLETE, TrialState.PRUNED] : [TrialState.COMPLETE];
    const out: Array<{ trial: FrozenTrial; value: number }> = [];
    for (const t of study.getTrials({ states })) {
      if (t.state === TrialState.COMPLETE) {
        if (t.values !== null && t.values.length > 0) out.push({ trial: t, value: t.values[0]! });
        continue;
      }
      const step = lastStep(t);
      if (step !== null) out.push({ trial: t, value: t.intermediateValues[step]! });
    }
    return out;
  }

  /** The state after every generation that has popsize usable trials, from the cache onwards. */
  private replay(study: StudyView, dims: readonly UnitDimension[], usable: ReadonlyArray<{ trial: FrozenTrial; value: number }>): RunState {
    const cache = this.cacheOf(study);
    const key = JSON.stringify(dims.map((d) => [d.name, d.distribution]));
    if (cache.run?.key !== key) cache.run = { key, state: this.firstRun(study, dims) };
    const state = cache.run.state;
    const sign = study.direction === "minimize" ? 1 : -1;
    const byGeneration = new Map<string, Array<{ trial: FrozenTrial; value: number }>>();
    for (const u of usable) {
      const r = u.trial.systemAttrs[RESTART_ATTR];
      const g = u.trial.systemAttrs[GENERATION_ATTR];
      if (typeof r !== "number" || typeof g !== "number" || r < state.restart || (r === state.restart && g < state.cma.generation)) continue;
      const k = `${r}:${g}`;
      const list = byGeneration.get(k);
      if (list) list.push(u);
      else byGeneration.set(k, [u]);
    }
    for (;;) {
      const members = byGeneration.get(`${state.restart}:${state.cma.generation}`) ?? [];
      if (members.length < state.cma.constants.popsize) return state;
      const solutions = members
        .sort((a, b) => a.trial.number - b.trial.number)
        .slice(0, state.cma.constants.popsize)
        .map((u) => ({ x: this.drawOf(u.trial, dims, state), loss: sign * u.value }));
      tellGeneration(state.cma, solutions);
      if (state.margin) correctMargin(state.cma, state.margin, dims);
      if (this.restartStrategy !== undefined && shouldStop(state.cma)) this.restart(state, dims);
    }
  }

  /** The first run: centred (or warm-started), sigma0, the given or default population. */
  private firstRun(study: StudyView, dims: readonly UnitDimension[]): RunState {
    const popsize = this.popsize ?? defaultPopsize(dims.length);
    let cma: CmaState;
    if (this.warmStartTrials !== undefined) {
      const sign = study.direction === "minimize" ? 1 : -1;
      const source = this.warmStartTrials.flatMap((t) => {
        const value = t.state === TrialState.COMPLETE ? t.values?.[0] : this.considerPruned && t.state === TrialState.PRUNED ? t.intermediateValues[lastStep(t) ?? -1] : undefined;
        const x = dims.map((d) => (t.distributions[d.name] ? toUnit(d, t.params[d.name] ?? null) : Number.NaN));
        return value === undefined || x.some(Number.isNaN) ? [] : [{ x, loss: sign * value }];
      });
      if (source.length === 0) {
        throw new InvalidOptionError("warmStartTrials", `none of the ${this.warmStartTrials.length} trials is COMPLETE with a value for every parameter of the search space (${dims.map((d) => d.name).join(", ")}) inside its range; pass trials of a study with the same parameters`);
      }
      const warm = warmStartGaussian(source);
      cma = createCma(warm.mean, Math.max(warm.sigma, 1e-10), popsize, this.separable, warm.cov);
    } else {
      cma = createCma(dims.map(() => 0.5), this.sigma0, popsize, this.separable);
    }
    return { restart: 0, cma, margin: this.withMargin ? createMargin(dims, popsize) : null, regime: "large", evalsLarge: 0, evalsSmall: 0, largeRestarts: 0 };
  }

  /**
   * A new run from a random point, after the current one stopped. IPOP doubles (incPopsize) the
   * population each time; BIPOP (Hansen 2009) spends about as many evaluations on runs with small
   * populations and step sizes as on the growing large ones, choosing whichever regime has used fewer.
   */
  private restart(state: RunState, dims: readonly UnitDimension[]): void {
    const finished = state.cma;
    const evals = finished.constants.popsize * finished.generation;
    if (state.regime === "large") state.evalsLarge += evals;
    else state.evalsSmall += evals;
    state.restart += 1;
    const rng = new Rng(deriveSeed(this.seed, "cma:restart", state.restart));
    const base = this.popsize ?? defaultPopsize(dims.length);
    let popsize: number;
    let sigma = this.sigma0;
    if (this.restartStrategy === "ipop") {
      popsize = finished.constants.popsize * this.incPopsize;
    } else if (state.evalsSmall < state.evalsLarge) {
      state.regime = "small";
      const largest = base * this.incPopsize ** state.largeRestarts;
      popsize = Math.max(2, Math.floor(base * (largest / base / 2) ** (rng.random() ** 2)));
      sigma = this.sigma0 * 10 ** (-2 * rng.random());
    } else {
      state.regime = "large";
      state.largeRestarts += 1;
      popsize = base * this.incPopsize ** state.largeRestarts;
    }
    state.cma = createCma(dims.map(() => rng.random()), sigma, popsize, this.separable);
    state.margin = state.margin ? createMargin(dims, popsize) : null;
  }

  /** A draw inside the cube (resampled up to 10 n times, then clipped); with margin the grid coordinates are left free. */
  private draw(state: RunState, dims: readonly UnitDimension[], rng: Rng): number[] {
    const bounded = dims.map((d) => !(state.margin && d.cells > 0));
    const inside = (x: readonly number[]): boolean => x.every((v, i) => !bounded[i] || (v >= 0 && v <= 1));
    for (let attempt = 0; attempt < 10 * dims.length; attempt++) {
      const x = sampleSolution(state.cma, rng);
      if (inside(x)) return x;
    }
    return sampleSolution(state.cma, rng).map((v, i) => (bounded[i] ? Math.min(Math.max(v, 0), 1) : v));
  }

  /**
   * The point told for a trial: its recorded draw when the trial's values came from it, else its
   * values on the unit cube (an enqueued trial's fixed values, say).
   */
  private drawOf(trial: FrozenTrial, dims: readonly UnitDimension[], state: RunState): number[] {
    const recorded = trial.systemAttrs[DRAW_ATTR];
    const units = dims.map((d) => toUnit(d, trial.params[d.name] ?? null));
    if (Array.isArray(recorded) && recorded.length === dims.length) {
      const x = recorded as number[];
      const encoded = state.margin ? encodeWithMargin(state.cma, state.margin, x) : x;
      const same = dims.every((d, i) => (d.cells > 0 ? cellOf(d, encoded[i]!) === cellOf(d, units[i]!) : Math.abs(Math.min(Math.max(x[i]!, 0), 1) - units[i]!) < 1e-9));
      if (same) return x;
    }
    return units.map((u) => (Number.isNaN(u) ? 0.5 : u));
  }
}

/** The population size CMA-ES's authors recommend for n dimensions. */
export function defaultPopsize(n: number): number {
  return 4 + Math.floor(3 * Math.log(n));
}
