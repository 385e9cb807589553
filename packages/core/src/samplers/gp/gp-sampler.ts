import type { Distribution, ParamValue } from "../../distributions.js";
import { CONSTRAINTS_ATTR, recordConstraints } from "../../constraints.js";
import { ShoalError } from "../../errors.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import { deriveSeed, Rng } from "../../rng.js";
import type { StudyView } from "../../study-view.js";
import { TrialState } from "../../trial-state.js";
import { RandomSampler } from "../random-sampler.js";
import type { Sampler, SearchSpace } from "../sampler.js";
import { IntersectionSearchSpace, withoutSingles } from "../tpe/search-space.js";
import { ConstrainedLogEI, LogEI, LogFeasibility, type AcquisitionFunction } from "./acquisition.js";
import { fitKernelParams } from "./fit-kernel-params.js";
import { compileGPSamplerOptions, type CompiledGPSamplerOptions, type GPSamplerOptions } from "./gp-options.js";
import { GPRegressor, type TrainingData } from "./gp-regressor.js";
import type { KernelParams } from "./kernel.js";
import { optimizeAcquisition } from "./optimize-acquisition.js";
import { GPSearchSpace } from "./search-space.js";

/** Standard deviations below this count as 0 when standardizing (Optuna's EPS). */
const EPS = 1e-10;

/**
 * Thrown when GPSampler is used on a study of several objectives: this GPSampler models one
 * objective (log EI); multi-objective GP (log EHVI) is not built yet.
 */
export class GPMultiObjectiveError extends ShoalError {
  constructor(studyName: string, nObjectives: number) {
    super(
      `GPSampler supports single-objective studies only, and study "${studyName}" has ${nObjectives} objectives. ` +
        "Use TPESampler (MOTPE) or NSGAIISampler instead (shoal optimize --sampler tpe or --sampler nsga2).",
    );
  }
}

/** What the sampler keeps per study between trials: only warm starts, so nothing it needs. */
interface StudyCache {
  readonly intersection: IntersectionSearchSpace;
  /** The parameter names of the last fit's space; a different space drops the warm starts. */
  spaceKey: string;
  objectiveParams: KernelParams | null;
  constraintParams: Array<KernelParams | null>;
  /** How many trials the last fit saw. */
  fittedAt: number;
}

/** Up to this many trials the kernel parameters are refitted at every trial, as Optuna does. */
const ALWAYS_REFIT_UP_TO = 200;
/** Beyond it, once the trials have grown by this fraction since the last fit. */
const REFIT_GROWTH = 0.05;

/**
 * Whether this trial refits the kernel parameters. A fit costs a dozen O(n^3) evaluations; past
 * a few hundred trials one more observation moves the marginal-likelihood optimum by far less
 * than the fit's own tolerance, so the parameters of a fit at most 5% of the trials ago are
 * kept (the GP itself is still conditioned on every trial). Without a cached fit, as after a
 * restart, it always fits.
 */
function needsRefit(cache: StudyCache, n: number): boolean {
  return cache.objectiveParams === null || n <= ALWAYS_REFIT_UP_TO || n >= cache.fittedAt * (1 + REFIT_GROWTH);
}

/**
 * The preliminary acquisition samples at n training points: the configured count while n is
 * small, then fewer so their cost (count x n^2 / 2 for the variances) stays at its level at
 * n = 150; at least 256, the scoring only picks the local searches' starts.
 */
function preliminarySamples(configured: number, n: number): number {
  const budget = configured * 150 * 150;
  return Math.min(configured, Math.max(256, Math.floor(budget / (n * n))));
}

/**
 * Bayesian optimization with a Gaussian process, after Optuna 4.x's GPSampler: the COMPLETE
 * trials' parameters are scaled to [0, 1] (log ranges in log space), their values standardized,
 * a GP with a Matern 5/2 ARD kernel (Hamming distance for categorical parameters) is fitted by
 * maximising the marginal likelihood plus Optuna's prior, and the next point maximises log
 * expected improvement (times the feasibility probability when constraints are given), found by
 * quasi-random candidates and local searches. The first `nStartupTrials` trials, and parameters
 * outside the space every COMPLETE trial shares, come from the independent sampler.
 *
 * Stateless in what matters: everything is recomputed from the trials at each sample, so a
 * restarted coordinator continues the same study. The one cache, the last fit's kernel
 * parameters as the next fit's starting point, only saves optimiser iterations.
 */
export class GPSampler implements Sampler {
  private readonly options: CompiledGPSamplerOptions;
  private readonly independent: Sampler;
  private readonly studies = new WeakMap<StudyView, StudyCache>();

  constructor(options: GPSamplerOptions = {}) {
    this.options = compileGPSamplerOptions(options);
    this.independent = this.options.independentSampler ?? new RandomSampler({ seed: this.options.seed });
  }

  inferRelativeSearchSpace(study: StudyView, _trial: FrozenTrial): SearchSpace {
    if (study.directions.length > 1) throw new GPMultiObjectiveError(study.studyName, study.directions.length);
    const cache = this.cacheOf(study);
    return withoutSingles(cache.intersection.calculate(study.getTrials({ states: [TrialState.COMPLETE] })));
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue> {
    const names = Object.keys(searchSpace);
    if (names.length === 0) return {};
    const all = study.getTrials();
    const completed = all.filter((t) => t.state === TrialState.COMPLETE && hasAll(t, names));
    if (completed.length < this.options.nStartupTrials || completed.length === 0) return {};
    const running = all.filter((t) => t.state === TrialState.RUNNING && t.number !== trial.number && hasAll(t, names));

    const space = new GPSearchSpace(searchSpace);
    const dim = space.size;
    const n = completed.length;
    const x = new Float64Array(n * dim);
    completed.forEach((t, i) => space.normalizeParams(t.params, x, i * dim));
    const runningX = new Float64Array(running.length * dim);
    running.forEach((t, i) => space.normalizeParams(t.params, runningX, i * dim));

    const cache = this.cacheOf(study);
    const spaceKey = names.join("\u0000");
    if (cache.spaceKey !== spaceKey) {
      cache.spaceKey = spaceKey;
      cache.objectiveParams = null;
      cache.constraintParams = [];
    }

    // The GP maximises: a minimised objective is negated.
    const sign = study.direction === "minimize" ? -1 : 1;
    const y = standardize(Float64Array.from(completed, (t) => sign * (t.values?.[0] ?? Number.NaN))).values;
    const data: TrainingData = { x, y, n, dim, isCategorical: space.isCategorical };
    const fitOptions = { deterministic: this.options.deterministicObjective };
    const refit = needsRefit(cache, n);
    if (refit) cache.fittedAt = n;
    const objectiveParams = refit || cache.objectiveParams === null ? fitKernelParams(data, fitOptions, cache.objectiveParams) : cache.objectiveParams;
    cache.objectiveParams = objectiveParams;
    const objectiveGpr = withRunning(new GPRegressor(data, objectiveParams), runningX, running.length);

    let acqf: AcquisitionFunction;
    let warmStart: Float64Array | null = null;
    if (this.options.constraintsFunc === undefined) {
      const best = argmax(y);
      acqf = new LogEI(objectiveGpr, y[best]!);
      warmStart = x.slice(best * dim, best * dim + dim);
    } else {
      const constraints = constraintMatrix(completed);
      const feasible = constraints.map((c) => c.every((v) => v <= 0));
      let best = -1;
      for (let i = 0; i < n; i++) if (feasible[i] && (best < 0 || y[i]! > y[best]!)) best = i;
      const terms: LogFeasibility[] = [];
      const nConstraints = constraints[0]?.length ?? 0;
      for (let k = 0; k < nConstraints; k++) {
        // Constraints hold when c <= 0: negated, "feasible" is "at least the image of 0".
        const { values, mean, std } = standardize(Float64Array.from(constraints, (c) => -c[k]!));
        const cData: TrainingData = { x, y: values, n, dim, isCategorical: space.isCategorical };
        const previous = cache.constraintParams[k] ?? null;
        const params = refit || previous === null ? fitKernelParams(cData, fitOptions, previous) : previous;
        cache.constraintParams[k] = params;
        terms.push(new LogFeasibility(withRunning(new GPRegressor(cData, params), runningX, running.length), -mean / Math.max(EPS, std)));
      }
      acqf = new ConstrainedLogEI(best < 0 ? null : new LogEI(objectiveGpr, y[best]!), terms);
      if (best >= 0) warmStart = x.slice(best * dim, best * dim + dim);
    }

    const rng = new Rng(deriveSeed(this.options.seed, trial.number, "\u0000gp"));
    const lengthscales = Float64Array.from(space.continuousIndices, (d) => 1 / Math.sqrt(objectiveParams.inverseSquaredLengthscales[d]!));
    const { x: chosen } = optimizeAcquisition(
      acqf,
      space,
      rng,
      warmStart === null ? [] : [warmStart],
      { nPreliminarySamples: preliminarySamples(this.options.nPreliminarySamples, n + running.length), nLocalSearch: this.options.nLocalSearch, tol: 1e-4 },
      lengthscales,
    );
    return space.unnormalize(chosen);
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return this.independent.sampleIndependent(study, trial, name, distribution);
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    this.independent.beforeTrial?.(study, trial);
  }

  afterTrial(study: StudyView, trial: FrozenTrial, state: TrialState, values: readonly number[] | null): void {
    recordConstraints(study, trial, state, this.options.constraintsFunc);
    this.independent.afterTrial?.(study, trial, state, values);
  }

  private cacheOf(study: StudyView): StudyCache {
    let cache = this.studies.get(study);
    if (cache === undefined) {
      cache = { intersection: new IntersectionSearchSpace(), spaceKey: "", objectiveParams: null, constraintParams: [], fittedAt: 0 };
      this.studies.set(study, cache);
    }
    return cache;
  }
}

function hasAll(trial: FrozenTrial, names: readonly string[]): boolean {
  for (const name of names) if (trial.params[name] === undefined) return false;
  return true;
}

/**
 * The running trials taken as observed at the GP's own mean (the "kriging believer", as Optuna
 * 4.x conditions on running trials): the mean stays the same, the variance at and around those
 * points drops, so parallel workers are not sent to the same place.
 */
function withRunning(gpr: GPRegressor, runningX: Float64Array, count: number): GPRegressor {
  if (count === 0) return gpr;
  const { data } = gpr;
  const dim = data.dim;
  const n = data.n + count;
  const x = new Float64Array(n * dim);
  x.set(data.x);
  x.set(runningX, data.n * dim);
  const y = new Float64Array(n);
  y.set(data.y);
  const moments = new Float64Array(2);
  for (let i = 0; i < count; i++) {
    gpr.posterior(runningX, i * dim, moments);
    y[data.n + i] = moments[0]!;
  }
  return new GPRegressor({ x, y, n, dim, isCategorical: data.isCategorical }, gpr.params);
}

/**
 * (v - mean) / std, with infinite values first clipped to the finite extremes (Optuna's
 * warn_and_convert_inf: a GP cannot fit an infinity, but "worse than everything" survives).
 */
function standardize(raw: Float64Array): { values: Float64Array; mean: number; std: number } {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of raw) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo > hi) lo = hi = 0;
  const values = raw.map((v) => (Number.isFinite(v) ? v : v > 0 ? hi : lo));
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / values.length);
  const scale = Math.max(EPS, std);
  for (let i = 0; i < values.length; i++) values[i] = (values[i]! - mean) / scale;
  return { values, mean, std };
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Each trial's constraint values; a trial without them (constraintsFunc added later) counts as violating by 1. */
function constraintMatrix(trials: readonly FrozenTrial[]): number[][] {
  const rows = trials.map((t) => t.systemAttrs[CONSTRAINTS_ATTR]);
  const width = Math.max(0, ...rows.map((r) => (Array.isArray(r) ? r.length : 0)));
  return rows.map((r) => {
    const row = Array.isArray(r) ? (r as number[]) : [];
    return Array.from({ length: width }, (_, k) => (typeof row[k] === "number" ? row[k] : 1));
  });
}
