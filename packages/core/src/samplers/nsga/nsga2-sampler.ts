/**
 * NSGA-II (Deb et al. 2002) as Optuna's NSGAIISampler: trials come in generations of
 * `populationSize`; each new trial's parameters are a child of two (or three) parents picked by
 * binary tournament from the elite of the generations so far, each parameter then mutated
 * (sampled at random) with probability `mutationProb`. The elite is the best `populationSize` of
 * the last generation and the elite before it, by non-domination rank, ties broken by crowding
 * distance. A trial's generation is kept in its `nsga2:generation` system attr, so a restarted
 * coordinator carries on where the last one stopped, and generations fill up however the trials
 * of a cluster finish.
 */
import { recordConstraints, trialViolation, type ConstraintsFunc } from "../../constraints.js";
import type { Distribution, ParamValue } from "../../distributions.js";
import { InvalidOptionError } from "../../errors.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import { constrainedDominates, dominates, nonDominatedRanks, toLosses, type Losses } from "../../multi-objective/dominance.js";
import { crowdingDistances } from "../../multi-objective/crowding-distance.js";
import { deriveSeed, Rng } from "../../rng.js";
import type { StudyView } from "../../study-view.js";
import { TrialState } from "../../trial-state.js";
import { sampleUniform } from "../random-sampler.js";
import type { Sampler, SearchSpace } from "../sampler.js";
import { snapToGrid, toDimension, transformValue, untransform, type Dimension } from "../tpe/param-transform.js";
import { IntersectionSearchSpace } from "../tpe/search-space.js";
import { UniformCrossover, type Crossover } from "./crossovers.js";

/** The system attr holding a trial's generation. */
export const GENERATION_ATTR = "nsga2:generation";

/** Options of NSGAIISampler (Optuna's names and defaults). */
export interface NSGAIISamplerOptions {
  /** Trials per generation. @default 50 */
  populationSize?: number;
  /** Probability of each parameter being sampled at random instead of inherited. @default 1 / the number of parameters */
  mutationProb?: number;
  /** How parents make a child. @default new UniformCrossover() */
  crossover?: Crossover;
  /** Probability of a crossover (else the child copies one parent). @default 0.9 */
  crossoverProb?: number;
  /** Probability of taking a categorical parameter from the other parent. @default 0.5 */
  swappingProb?: number;
  seed?: number;
  /**
   * The trial's constraint values (each <= 0 holds), computed when a trial completes and stored as
   * its `constraints` system attr; selection then prefers feasible trials (constrained domination).
   */
  constraintsFunc?: ConstraintsFunc;
}

/** The tries at a child inside the bounds before the last one is clipped into them. */
const MAX_CROSSOVER_TRIES = 100;

export class NSGAIISampler implements Sampler {
  protected readonly populationSize: number;
  private readonly mutationProb: number | undefined;
  private readonly crossover: Crossover;
  private readonly crossoverProb: number;
  private readonly swappingProb: number;
  protected readonly seed: number;
  private readonly constraintsFunc: NSGAIISamplerOptions["constraintsFunc"];
  private readonly spaces = new WeakMap<StudyView, IntersectionSearchSpace>();
  /** Per study: each generation's elite, once the generation is complete (its members never change then). */
  private readonly elites = new WeakMap<StudyView, Map<number, { size: number; numbers: number[] }>>();
  /** The parents found for a trial at its start (beforeTrial), for its sampleRelative. */
  private readonly pending = new Map<number, { generation: number; parents: FrozenTrial[] }>();

  constructor(options: NSGAIISamplerOptions = {}) {
    this.populationSize = options.populationSize ?? 50;
    if (!Number.isInteger(this.populationSize) || this.populationSize < 2) {
      throw new InvalidOptionError("populationSize", `must be an integer >= 2, got ${String(options.populationSize)}`);
    }
    for (const [name, value] of [["mutationProb", options.mutationProb], ["crossoverProb", options.crossoverProb], ["swappingProb", options.swappingProb]] as const) {
      if (value !== undefined && !(value >= 0 && value <= 1)) throw new InvalidOptionError(name, `must be in [0, 1], got ${String(value)}`);
    }
    this.mutationProb = options.mutationProb;
    this.crossover = options.crossover ?? new UniformCrossover();
    this.crossoverProb = options.crossoverProb ?? 0.9;
    this.swappingProb = options.swappingProb ?? 0.5;
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.constraintsFunc = options.constraintsFunc;
  }

  inferRelativeSearchSpace(study: StudyView): SearchSpace {
    let space = this.spaces.get(study);
    if (!space) this.spaces.set(study, (space = new IntersectionSearchSpace()));
    const complete = study.getTrials({ states: [TrialState.COMPLETE] });
    const result: SearchSpace = {};
    for (const [name, d] of Object.entries(space.calculate(complete))) {
      // A single-valued distribution has nothing to choose.
      if (d.kind === "categorical" ? d.choices.length > 1 : d.low < d.high) result[name] = d;
    }
    return result;
  }

  /** Every trial gets its generation as it starts, whether or not it has a relative search space yet. */
  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    const found = this.parentPopulation(study);
    study.setTrialSystemAttr?.(trial.trialId, GENERATION_ATTR, found.generation + 1);
    this.pending.clear();
    this.pending.set(trial.number, found);
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue> {
    const { generation, parents } = this.pending.get(trial.number) ?? this.parentPopulation(study);
    this.pending.delete(trial.number);
    if (generation < 0 || parents.length === 0 || Object.keys(searchSpace).length === 0) return {};
    const rng = new Rng(deriveSeed(this.seed, trial.number, "\u0000nsga2"));
    const child =
      rng.random() < this.crossoverProb
        ? this.crossed(study, parents, searchSpace, rng)
        : pick(parents, rng).params;
    const names = Object.keys(searchSpace).filter((n) => child[n] !== undefined);
    const mutation = this.mutationProb ?? 1 / Math.max(1, names.length);
    const params: Record<string, ParamValue> = {};
    // A parameter left out is mutated: sampleIndependent draws it at random.
    for (const name of names) if (rng.random() >= mutation) params[name] = child[name] as ParamValue;
    return params;
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return sampleUniform(new Rng(deriveSeed(this.seed, trial.number, name)), distribution);
  }

  afterTrial(study: StudyView, trial: FrozenTrial, state: TrialState): void {
    recordConstraints(study, trial, state, this.constraintsFunc);
  }

  /**
   * The newest complete generation and its elite: generation g counts once it has
   * `populationSize` COMPLETE trials (under many workers it may end with a few more), and its
   * elite is chosen from its trials and the elite before it.
   */
  private parentPopulation(study: StudyView): { generation: number; parents: FrozenTrial[] } {
    const byGeneration = new Map<number, FrozenTrial[]>();
    for (const t of study.getTrials({ states: [TrialState.COMPLETE] })) {
      const g = t.systemAttrs[GENERATION_ATTR];
      if (typeof g !== "number") continue;
      const list = byGeneration.get(g);
      if (list) list.push(t);
      else byGeneration.set(g, [t]);
    }
    let cache = this.elites.get(study);
    if (!cache) this.elites.set(study, (cache = new Map()));
    const byNumber = new Map<number, FrozenTrial>();
    for (const list of byGeneration.values()) for (const t of list) byNumber.set(t.number, t);
    let parents: FrozenTrial[] = [];
    let generation = -1;
    for (;;) {
      const members = byGeneration.get(generation + 1) ?? [];
      if (members.length < this.populationSize) break;
      generation += 1;
      const cached = cache.get(generation);
      if (cached && cached.size === members.length) {
        parents = cached.numbers.map((n) => byNumber.get(n)!);
        continue;
      }
      parents = this.elite(study, [...members, ...parents], generation);
      cache.set(generation, { size: members.length, numbers: parents.map((t) => t.number) });
    }
    return { generation, parents };
  }

  /** The best `populationSize` of a population: whole fronts, the last one cut by `truncateFront`. */
  private elite(study: StudyView, population: readonly FrozenTrial[], generation: number): FrozenTrial[] {
    const losses = population.map((t) => toLosses(t.values!, study.directions));
    const violations = this.constraintsFunc ? population.map(trialViolation) : undefined;
    const ranks = nonDominatedRanks(losses, violations ? { violations } : {});
    const order = population.map((_, i) => i).sort((a, b) => ranks[a]! - ranks[b]! || population[a]!.number - population[b]!.number);
    const elite: FrozenTrial[] = [];
    const eliteLosses: Losses[] = [];
    for (let k = 0; k < order.length && elite.length < this.populationSize; ) {
      const rank = ranks[order[k]!]!;
      let end = k;
      while (end < order.length && ranks[order[end]!] === rank) end++;
      const front = order.slice(k, end);
      if (elite.length + front.length <= this.populationSize) {
        for (const i of front) {
          elite.push(population[i]!);
          eliteLosses.push(losses[i]!);
        }
      } else {
        const keep = this.truncateFront(eliteLosses, front.map((i) => losses[i]!), this.populationSize - elite.length, generation, front.map((i) => population[i]!.number));
        for (const j of keep) elite.push(population[front[j]!]!);
      }
      k = end;
    }
    return elite;
  }

  /**
   * Which `count` members of the front that does not fit all survive (indices into `front`):
   * NSGA-II's rule, the largest crowding distance first (ties: the lower trial number).
   * `elite` holds the losses of the members chosen before it.
   */
  protected truncateFront(_elite: readonly Losses[], front: readonly Losses[], count: number, _generation: number, numbers: readonly number[]): number[] {
    const distances = crowdingDistances(front);
    return front
      .map((_, j) => j)
      .sort((a, b) => distances[b]! - distances[a]! || numbers[a]! - numbers[b]!)
      .slice(0, count);
  }

  /** A child of parents picked by tournament: numeric parameters by the crossover, categorical ones uniformly. */
  private crossed(study: StudyView, population: readonly FrozenTrial[], space: SearchSpace, rng: Rng): Record<string, ParamValue> {
    const names = Object.keys(space);
    const numeric = names.filter((n) => space[n]!.kind !== "categorical");
    const categorical = names.filter((n) => space[n]!.kind === "categorical");
    const dims = numeric.map((n) => toDimension(space[n]!)) as Array<Extract<Dimension, { low: number }>>;
    const bounds = dims.map((d) => [d.low, d.high] as const);
    const context = { multiObjective: study.directions.length > 1 };
    let last: { parents: FrozenTrial[]; genes: number[] } | null = null;
    for (let attempt = 0; attempt < MAX_CROSSOVER_TRIES; attempt++) {
      const parents = this.tournament(study, population, rng);
      const genes = this.crossover.cross(parents.map((p) => numeric.map((n, d) => transformValue(dims[d]!, p.params[n] as ParamValue))), bounds, rng, context);
      last = { parents, genes };
      if (genes.every((g, d) => g >= bounds[d]![0] && g <= bounds[d]![1])) break;
    }
    const { parents, genes } = last!;
    const child: Record<string, ParamValue> = {};
    numeric.forEach((n, d) => {
      const dim = dims[d]!;
      child[n] = untransform(dim, snapToGrid(dim, Math.min(Math.max(genes[d]!, bounds[d]![0]), bounds[d]![1])));
    });
    for (const n of categorical) {
      child[n] = (rng.random() < this.swappingProb ? parents[parents.length - 1]! : parents[0]!).params[n] as ParamValue;
    }
    return child;
  }

  /** `crossover.nParents` distinct parents, each the better of two drawn at random (binary tournament). */
  private tournament(study: StudyView, population: readonly FrozenTrial[], rng: Rng): FrozenTrial[] {
    const chosen: FrozenTrial[] = [];
    for (let k = 0; k < this.crossover.nParents; k++) {
      const left = population.filter((t) => !chosen.includes(t));
      const pool = left.length > 0 ? left : population;
      const a = pick(pool, rng);
      const b = pick(pool, rng);
      chosen.push(this.beats(study, a, b) ? a : b);
    }
    return chosen;
  }

  private beats(study: StudyView, a: FrozenTrial, b: FrozenTrial): boolean {
    const la: Losses = toLosses(a.values!, study.directions);
    const lb: Losses = toLosses(b.values!, study.directions);
    return this.constraintsFunc ? constrainedDominates(la, trialViolation(a), lb, trialViolation(b)) : dominates(la, lb);
  }
}


function pick<T>(list: readonly T[], rng: Rng): T {
  return list[rng.int(list.length)]!;
}
