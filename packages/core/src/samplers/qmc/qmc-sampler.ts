import type { Distribution, ParamValue } from "../../distributions.js";
import { InvalidOptionError } from "../../errors.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import type { StudyView } from "../../study-view.js";
import { TrialState } from "../../trial-state.js";
import { RandomSampler } from "../random-sampler.js";
import type { Sampler, SearchSpace } from "../sampler.js";
import { snapToGrid, toDimension, untransform } from "../tpe/param-transform.js";
import { HaltonSequence } from "./halton.js";
import { SobolSequence } from "./sobol.js";
import { MAX_SOBOL_DIMENSIONS } from "./sobol-direction-numbers.js";

/** Options of QMCSampler. */
export interface QMCSamplerOptions {
  /** The low-discrepancy sequence. @default "sobol" */
  qmcType?: "sobol" | "halton";
  /** Randomise the sequence (Sobol: linear matrix scramble and digital shift; Halton: digit permutations). @default false, as Optuna */
  scramble?: boolean;
  /** Seeds the scramble and the independent sampler: the same seed gives the same points. */
  seed?: number;
  /** Samples what the sequence does not: categorical parameters, and those outside the first trial's space. @default RandomSampler */
  independentSampler?: Sampler;
}

interface Sequence {
  point(index: number): Float64Array;
}

/**
 * Quasi-Monte Carlo search, as Optuna's QMCSampler: the search space is fixed by the study's first
 * COMPLETE trial (its numeric, non-constant parameters; that trial itself is sampled by the
 * independent sampler), and trial n takes the n-th point of a Sobol or Halton sequence over it.
 * Unlike Optuna, whose point counter is a study attribute, the point's index is the trial's number:
 * every trial gets its own point however many coordinators or workers sample, and a restarted
 * coordinator continues the sequence. Without `scramble`, index 0 would be the lower corner; it is
 * the first trial's number, which is sampled independently.
 */
export class QMCSampler implements Sampler {
  private readonly qmcType: "sobol" | "halton";
  private readonly scrambleSeed: number | null;
  private readonly independent: Sampler;
  private readonly spaces = new WeakMap<StudyView, SearchSpace>();
  private readonly sequences = new Map<number, Sequence>();

  constructor(options: QMCSamplerOptions = {}) {
    const qmcType = options.qmcType ?? "sobol";
    if (qmcType !== "sobol" && qmcType !== "halton") throw new InvalidOptionError("qmcType", `must be "sobol" or "halton", got ${String(qmcType)}.`);
    if (options.seed !== undefined && !Number.isFinite(options.seed)) throw new InvalidOptionError("seed", `must be a finite number, got ${String(options.seed)}.`);
    this.qmcType = qmcType;
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    this.scrambleSeed = options.scramble === true ? seed : null;
    this.independent = options.independentSampler ?? new RandomSampler({ seed });
  }

  inferRelativeSearchSpace(study: StudyView): SearchSpace {
    const known = this.spaces.get(study);
    if (known !== undefined) return known;
    const first = study.getTrials({ states: [TrialState.COMPLETE] }).reduce<FrozenTrial | null>((a, t) => (a === null || t.number < a.number ? t : a), null);
    if (first === null) return {};
    const space: SearchSpace = {};
    for (const name of Object.keys(first.distributions).sort()) {
      const d = first.distributions[name] as Distribution;
      if (d.kind !== "categorical" && d.low < d.high) space[name] = d;
    }
    if (this.qmcType === "sobol" && Object.keys(space).length > MAX_SOBOL_DIMENSIONS) {
      throw new InvalidOptionError("qmcType", `"sobol" has direction numbers for up to ${MAX_SOBOL_DIMENSIONS} parameters and the search space has ${Object.keys(space).length}: use "halton".`);
    }
    this.spaces.set(study, space);
    return space;
  }

  sampleRelative(_study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): Record<string, ParamValue> {
    const names = Object.keys(searchSpace);
    if (names.length === 0) return {};
    const u = this.sequence(names.length).point(trial.number);
    const params: Record<string, ParamValue> = {};
    names.forEach((name, i) => {
      const dim = toDimension(searchSpace[name] as Distribution);
      // The space holds no categorical parameter (inferRelativeSearchSpace leaves them out).
      if (dim.kind === "categorical") return;
      params[name] = untransform(dim, snapToGrid(dim, dim.low + (u[i] as number) * (dim.high - dim.low)));
    });
    return params;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return this.independent.sampleIndependent(study, trial, name, distribution);
  }

  afterTrial(study: StudyView, trial: FrozenTrial, state: TrialState, values: readonly number[] | null): void {
    this.independent.afterTrial?.(study, trial, state, values);
  }

  private sequence(dimensions: number): Sequence {
    let seq = this.sequences.get(dimensions);
    if (seq === undefined) {
      const scramble = this.scrambleSeed === null ? null : { seed: this.scrambleSeed };
      seq = this.qmcType === "sobol" ? new SobolSequence(dimensions, scramble) : new HaltonSequence(dimensions, scramble);
      this.sequences.set(dimensions, seq);
    }
    return seq;
  }
}
