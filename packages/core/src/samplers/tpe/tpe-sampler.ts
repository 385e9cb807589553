import { recordConstraints } from "../../constraints.js";
import type { Distribution, ParamValue } from "../../distributions.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import { deriveSeed, Rng } from "../../rng.js";
import type { StudyView } from "../../study-view.js";
import { TrialState } from "../../trial-state.js";
import { sampleUniform } from "../random-sampler.js";
import type { Sampler, SearchSpace } from "../sampler.js";
import { ParzenEstimator, type ParzenEstimatorParameters } from "./parzen-estimator.js";
import { bestCandidate } from "./candidate-selection.js";
import { ObservationStore } from "./observation-store.js";
import { ObservationGatherer, sideOfNumbers, type Side } from "./observations.js";
import { toDimension, untransform, type Dimension } from "./param-transform.js";
import { ScratchArena } from "./scratch-arena.js";
import { GroupDecomposedSearchSpace, IntersectionSearchSpace, withoutSingles } from "./search-space.js";
import { splitMultiObjective } from "./multi-objective-split.js";
import { splitConstrained } from "./constrained-split.js";
import { splitObservations } from "./split.js";
import {
  callGamma,
  compileTPESamplerOptions,
  type CompiledTPESamplerOptions,
  type TPESamplerOptions,
} from "./tpe-options.js";
import { TrialLedger } from "./trial-ledger.js";

/** What one TPE step reads: the two sides of the split and the finished trials' values. */
interface StepContext {
  readonly below: Side;
  readonly above: Side;
  readonly gatherer: ObservationGatherer;
  /** The estimators' parameters for the study (joint or one-at-a-time bandwidths). */
  readonly estimatorParams: ParzenEstimatorParameters;
}

/** The study's trials as one trial's sampling sees them. */
interface Snapshot {
  readonly trialNumber: number;
  /** How many trials the study had. */
  readonly size: number;
  /** The unfinished trials then, and their indices in the study's list: only these can change. */
  readonly unfinished: readonly FrozenTrial[];
  readonly unfinishedAt: readonly number[];
  /** How many trials are COMPLETE or PRUNED. */
  readonly nFinished: number;
  /** With constant liar, the other RUNNING trials: observations too (else none). */
  readonly lies: readonly FrozenTrial[];
  /** Made on first use; null during the startup trials. */
  context?: StepContext | null;
}

/**
 * One study's incrementally maintained state: finished trials never change, so the ledger reads
 * each once and hands it on, once, to the store and the search space.
 */
interface StudyState {
  readonly ledger: TrialLedger;
  readonly store: ObservationStore;
  readonly gatherer: ObservationGatherer;
  readonly intersection: IntersectionSearchSpace;
  readonly groups: GroupDecomposedSearchSpace;
  /** The last trial's snapshot, reused while the other trials stay the same. */
  snapshot: Snapshot | null;
}

/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011), as in Optuna 4.9: the finished
 * trials are split into the best gamma(n) ("below") and the rest ("above"), a Parzen estimator
 * l(x) and g(x) is fitted to each, candidates are drawn from l(x), and the one with the highest
 * l(x)/g(x) is taken. The first `nStartupTrials` trials are sampled at random.
 *
 * Handles float (continuous, step, log), int (step, log) and categorical parameters and
 * define-by-run spaces: a trial without a parameter is simply no observation of it.
 */
export class TPESampler implements Sampler {
  private readonly options: CompiledTPESamplerOptions;
  /** The estimators' parameters for joint and for one-at-a-time sampling. */
  private readonly estimatorParams: { readonly joint: ParzenEstimatorParameters; readonly single: ParzenEstimatorParameters };
  /** Per study (by view identity, so a recreated study of the same name starts afresh). */
  private readonly studies = new WeakMap<StudyView, StudyState>();
  /** The groups of the last inferred relative space, for sampleRelative (group mode). */
  private lastGroups: SearchSpace[] = [];
  /** The estimators' arrays, reused step after step. */
  private readonly arena = new ScratchArena();

  constructor(options: TPESamplerOptions = {}) {
    this.options = compileTPESamplerOptions(options);
    const common = {
      priorWeight: this.options.priorWeight,
      considerMagicClip: this.options.considerMagicClip,
      considerEndpoints: this.options.considerEndpoints,
    };
    this.estimatorParams = { joint: { ...common, multivariate: true }, single: { ...common, multivariate: false } };
  }

  /** Whether `study`'s parameters are sampled jointly: the option, or with "auto" by its number of objectives. */
  private isMultivariate(study: StudyView): boolean {
    const m = this.options.multivariate;
    return m === "auto" ? study.directions.length < 3 : m;
  }

  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): SearchSpace {
    if (!this.isMultivariate(study)) return {};
    // The snapshot brings the search space up to date with the finished trials.
    this.snapshotFor(study, trial);
    const state = this.stateOf(study);
    if (this.options.group) {
      this.lastGroups = state.groups.current().map(withoutSingles);
      return Object.assign({}, ...this.lastGroups) as SearchSpace;
    }
    return withoutSingles(state.intersection.current());
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue> {
    if (Object.keys(searchSpace).length === 0) return {};
    const context = this.contextFor(study, trial);
    if (context === null) return {};
    const subspaces = this.options.group ? groupsWithin(this.lastGroups, searchSpace) : [searchSpace];
    const params: Record<string, ParamValue> = {};
    for (const subspace of subspaces) {
      const names = Object.keys(subspace);
      const rng = new Rng(deriveSeed(this.options.seed, trial.number, "\u0000relative", ...names));
      Object.assign(params, this.sampleJointly(context, subspace, rng));
    }
    return params;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const rng = new Rng(deriveSeed(this.options.seed, trial.number, name));
    const context = this.contextFor(study, trial);
    if (context === null) return sampleUniform(rng, distribution);
    return this.sampleJointly(context, { [name]: distribution }, rng)[name] as ParamValue;
  }

  afterTrial(study: StudyView, trial: FrozenTrial, state: TrialState): void {
    recordConstraints(study, trial, state, this.options.constraintsFunc);
  }

  private stateOf(study: StudyView): StudyState {
    let state = this.studies.get(study);
    if (state === undefined) {
      const store = new ObservationStore();
      state = {
        // Several objectives: the ledger's ranking goes unused (MOTPE ranks by dominance).
        ledger: new TrialLedger(study.directions[0]!),
        store,
        gatherer: new ObservationGatherer(store, this.options.weights),
        intersection: new IntersectionSearchSpace(),
        groups: new GroupDecomposedSearchSpace(),
        snapshot: null,
      };
      this.studies.set(study, state);
    }
    return state;
  }

  /**
   * The trials as `trial`'s sampling sees them. Cached: the sampler asks at each parameter, and
   * the other trials seldom change in between (a changed trial is a new snapshot object, so
   * comparing references tells; finished trials never change what TPE reads of them).
   */
  private snapshotFor(study: StudyView, trial: FrozenTrial): Snapshot {
    const all = study.getTrials();
    const state = this.stateOf(study);
    const cached = state.snapshot;
    if (cached !== null && cached.trialNumber === trial.number && sameUnfinished(cached, all)) return cached;
    const { fresh, unfinished, unfinishedAt } = state.ledger.read(all);
    if (fresh.length > 0) {
      // Handed on now, as they are read: the ledger gives each trial once.
      state.store.add(fresh);
      if (this.options.group) state.groups.add(fresh);
      else if (this.isMultivariate(study)) state.intersection.add(fresh);
    }
    // The trial being sampled is RUNNING too; it is no observation of itself.
    const lies = this.options.constantLiar
      ? unfinished.filter((t) => t.state === TrialState.RUNNING && t.number !== trial.number)
      : [];
    const nFinished = state.ledger.nFinished;
    state.snapshot = { trialNumber: trial.number, size: all.length, unfinished, unfinishedAt, nFinished, lies };
    return state.snapshot;
  }

  /** The below/above split for `trial`, or null while fewer than nStartupTrials trials finished. */
  private contextFor(study: StudyView, trial: FrozenTrial): StepContext | null {
    const snapshot = this.snapshotFor(study, trial);
    if (snapshot.context !== undefined) return snapshot.context;
    const n = snapshot.nFinished;
    let context: StepContext | null = null;
    if (n >= this.options.nStartupTrials) {
      const state = this.stateOf(study);
      const index = state.ledger.index(snapshot.lies);
      const nBelow = callGamma(this.options.gamma, n);
      const constrained = this.options.constraintsFunc !== undefined;
      // Lies are RUNNING trials: always above.
      let below: Side;
      let above: Side;
      if (study.directions.length > 1) {
        const split = splitMultiObjective(index, study.directions, nBelow, constrained);
        below = sideOfNumbers(split.below, [], split.belowWeights);
        above = sideOfNumbers(split.above, snapshot.lies);
      } else {
        const split = constrained ? splitConstrained(index, study.direction, nBelow) : splitObservations(index, study.direction, nBelow);
        below = sideOfNumbers(split.below, []);
        above = sideOfNumbers(split.above, snapshot.lies);
      }
      context = { below, above, gatherer: state.gatherer, estimatorParams: this.isMultivariate(study) ? this.estimatorParams.joint : this.estimatorParams.single };
    }
    snapshot.context = context;
    return context;
  }

  /** One TPE step over `space`: fit l and g, draw candidates from l, keep the best l/g. */
  private sampleJointly(context: StepContext, space: SearchSpace, rng: Rng): Record<string, ParamValue> {
    const names = Object.keys(space);
    // (A loop, not names.map: see ParzenEstimator.)
    const dims: Dimension[] = [];
    for (const name of names) dims.push(toDimension(space[name] as Distribution));
    this.arena.reset();
    const alloc = this.arena.take;
    const { gatherer } = context;
    const below = new ParzenEstimator(dims, gatherer.gather(context.below, names, dims, alloc), context.estimatorParams, alloc);
    const above = new ParzenEstimator(dims, gatherer.gather(context.above, names, dims, alloc), context.estimatorParams, alloc);

    const count = this.options.nEiCandidates;
    const candidates = below.sample(rng, count, alloc);
    const best = bestCandidate(below, above, candidates, count, alloc);
    const params: Record<string, ParamValue> = {};
    names.forEach((name, d) => {
      params[name] = untransform(dims[d] as Dimension, candidates[best * dims.length + d] as number);
    });
    return params;
  }
}

/** The parts of `space` in each group (groups may be stale by a trial; leftovers form their own). */
function groupsWithin(groups: readonly SearchSpace[], space: SearchSpace): SearchSpace[] {
  const placed = new Set<string>();
  const out: SearchSpace[] = [];
  for (const group of groups) {
    const sub: SearchSpace = {};
    for (const name of Object.keys(group)) {
      const d = space[name];
      if (d !== undefined) {
        sub[name] = d;
        placed.add(name);
      }
    }
    if (Object.keys(sub).length > 0) out.push(sub);
  }
  const rest: SearchSpace = {};
  for (const [name, d] of Object.entries(space)) if (!placed.has(name)) rest[name] = d;
  if (Object.keys(rest).length > 0) out.push(rest);
  return out;
}

/**
 * True when `all` holds the same trials as when `snapshot` was taken: as many, and the very same
 * snapshots of the then unfinished ones (a changed trial is a new snapshot), except for the trial
 * being sampled, which gains a parameter at each suggest.
 */
function sameUnfinished(snapshot: Snapshot, all: readonly FrozenTrial[]): boolean {
  if (all.length !== snapshot.size) return false;
  const skip = snapshot.trialNumber;
  for (let j = 0; j < snapshot.unfinished.length; j++) {
    const before = snapshot.unfinished[j] as FrozenTrial;
    const now = all[snapshot.unfinishedAt[j] as number] as FrozenTrial;
    if (now !== before && (before.number !== skip || now.number !== skip)) return false;
  }
  return true;
}
