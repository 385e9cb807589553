/**
 * NSGA-III (Deb and Jain 2014) as Optuna's NSGAIIISampler: NSGA-II's generations, tournament,
 * crossover and mutation, but the front that does not fit survives by niching around reference
 * points (Das-Dennis points by default) instead of by crowding distance, which keeps a front
 * spread out with three or more objectives.
 */
import { InvalidOptionError } from "../../errors.js";
import type { Losses } from "../../multi-objective/dominance.js";
import { deriveSeed, Rng } from "../../rng.js";
import { selectByNiche } from "./niching.js";
import { NSGAIISampler, type NSGAIISamplerOptions } from "./nsga2-sampler.js";
import { dasDennisPoints } from "./reference-points.js";

/** Options of NSGAIIISampler: NSGA-II's, and where its reference points come from. */
export interface NSGAIIISamplerOptions extends NSGAIISamplerOptions {
  /** Reference points, one coordinate per objective. @default Das-Dennis points with `dividingParameter` divisions */
  referencePoints?: readonly (readonly number[])[];
  /** Divisions of the default reference points. @default 3 */
  dividingParameter?: number;
}

export class NSGAIIISampler extends NSGAIISampler {
  private readonly referencePoints: readonly (readonly number[])[] | undefined;
  private readonly dividingParameter: number;

  constructor(options: NSGAIIISamplerOptions = {}) {
    super(options);
    this.referencePoints = options.referencePoints;
    this.dividingParameter = options.dividingParameter ?? 3;
    if (!Number.isInteger(this.dividingParameter) || this.dividingParameter < 1) {
      throw new InvalidOptionError("dividingParameter", `must be an integer >= 1, got ${String(options.dividingParameter)}`);
    }
  }

  protected override truncateFront(elite: readonly Losses[], front: readonly Losses[], count: number, generation: number): number[] {
    const m = front[0]!.length;
    const references = this.referencePoints ?? dasDennisPoints(m, this.dividingParameter);
    if (references.some((r) => r.length !== m)) {
      throw new InvalidOptionError("referencePoints", `each must have one coordinate per objective (${m}), got ${references.map((r) => r.length).join(", ")}`);
    }
    // Seeded by the generation: the same generation is cut the same way however often it is recomputed.
    const rng = new Rng(deriveSeed(this.seed, generation, "\u0000nsga3"));
    return selectByNiche(count, elite.length, [...elite, ...front], references, rng);
  }
}
