import { checkIntegerOption, InvalidOptionError } from "../../errors.js";
import type { ConstraintsFunc } from "../../constraints.js";
import type { Sampler } from "../sampler.js";

/** Options of GPSampler; all optional, Optuna 4.x's defaults. */
export interface GPSamplerOptions {
  /** Makes the study reproducible: the same seed and the same trials give the same suggestions. */
  seed?: number;
  /** COMPLETE trials sampled by `independentSampler` before the GP takes over. @default 10 */
  nStartupTrials?: number;
  /**
   * The objective has no noise: the GP's noise variance is fixed at a tiny value (1e-6 on the
   * standardized values) instead of fitted, so the GP interpolates the observations. @default false
   */
  deterministicObjective?: boolean;
  /**
   * The trial's constraint values (each <= 0 holds), computed when a trial completes (or is pruned) and stored
   * as its `constraints` system attr; the acquisition is then log EI plus the log probability
   * that every constraint holds, each modelled by its own GP.
   */
  constraintsFunc?: ConstraintsFunc;
  /**
   * Samples the startup trials and the parameters outside the space every COMPLETE trial shares
   * (conditional ones). @default new RandomSampler({ seed })
   */
  independentSampler?: Sampler;
  /** Quasi-random points scored before the local searches of the acquisition. @default 2048 */
  nPreliminarySamples?: number;
  /** Local searches of the acquisition per trial. @default 10 */
  nLocalSearch?: number;
}

/** GPSamplerOptions with every default filled in and checked. */
export interface CompiledGPSamplerOptions {
  readonly seed: number;
  readonly nStartupTrials: number;
  readonly deterministicObjective: boolean;
  readonly constraintsFunc: ConstraintsFunc | undefined;
  readonly independentSampler: Sampler | undefined;
  readonly nPreliminarySamples: number;
  readonly nLocalSearch: number;
}

/** Fills in the defaults and checks every option; throws InvalidOptionError naming the bad one. */
export function compileGPSamplerOptions(options: GPSamplerOptions = {}): CompiledGPSamplerOptions {
  if (options.seed !== undefined && !Number.isFinite(options.seed)) {
    throw new InvalidOptionError("seed", `must be a finite number, got ${String(options.seed)}.`);
  }
  const nStartupTrials = checkIntegerOption("nStartupTrials", options.nStartupTrials ?? 10, 0);
  const nPreliminarySamples = checkIntegerOption("nPreliminarySamples", options.nPreliminarySamples ?? 2048, 1);
  const nLocalSearch = checkIntegerOption("nLocalSearch", options.nLocalSearch ?? 10, 1);
  const deterministicObjective = options.deterministicObjective ?? false;
  if (typeof deterministicObjective !== "boolean") {
    throw new InvalidOptionError("deterministicObjective", `must be true or false, got ${String(deterministicObjective)}.`);
  }
  if (options.constraintsFunc !== undefined && typeof options.constraintsFunc !== "function") {
    throw new InvalidOptionError("constraintsFunc", `must be a function of a FrozenTrial returning numbers, got ${typeof options.constraintsFunc}.`);
  }
  return {
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 32),
    nStartupTrials,
    deterministicObjective,
    constraintsFunc: options.constraintsFunc,
    independentSampler: options.independentSampler,
    nPreliminarySamples,
    nLocalSearch,
  };
}
