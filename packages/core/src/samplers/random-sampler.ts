import type { Distribution, ParamValue } from "../distributions.js";
import type { FrozenTrial } from "../frozen-trial.js";
import { deriveSeed, Rng } from "../rng.js";
import type { StudyView } from "../study-view.js";
import type { Sampler, SearchSpace } from "./sampler.js";

/** Options of RandomSampler. */
export interface RandomSamplerOptions {
  /** Makes the study reproducible: each trial's draws depend only on the seed and the trial number. */
  seed?: number;
}

/** Draws every parameter independently and uniformly (log-uniformly for log ranges). */
export class RandomSampler implements Sampler {
  private readonly seed: number;
  /** Each value comes from the trial's own seed alone. */
  readonly ignoresHistory = true;

  constructor(options: RandomSamplerOptions = {}) {
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  }

  inferRelativeSearchSpace(): SearchSpace {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return sampleUniform(new Rng(deriveSeed(this.seed, trial.number, name)), distribution);
  }
}

/** One uniform draw from a distribution (log-uniform for log ranges, on the grid for steps). */
export function sampleUniform(rng: Rng, d: Distribution): ParamValue {
  if (d.kind === "categorical") return d.choices[rng.int(d.choices.length)] ?? null;
  if (d.kind === "float" && d.step === null) {
    if (d.log) {
      const v = Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high)));
      return Math.min(Math.max(v, d.low), d.high);
    }
    return rng.uniform(d.low, d.high);
  }
  if (d.log) {
    // Int on a log scale: uniform over [low - 0.5, high + 0.5] in log space, rounded to an integer.
    const lo = Math.log(d.low - 0.5);
    const hi = Math.log(d.high + 0.5);
    const v = Math.round(Math.exp(rng.uniform(lo, hi)));
    return Math.min(Math.max(v, d.low), d.high);
  }
  const step = d.step as number;
  const count = Math.round((d.high - d.low) / step) + 1;
  const v = d.low + rng.int(count) * step;
  return d.kind === "int" ? v : Math.min(roundToStep(v, step), d.high);
}

/** Removes the float noise that `low + i * step` picks up (0.30000000000000004 -> 0.3). */
export function roundToStep(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return decimals > 15 ? v : Number.parseFloat(v.toFixed(Math.min(decimals + 6, 15)));
}
