import type { ConstraintsFunc } from "../../constraints.js";
import { checkIntegerOption, InvalidOptionError } from "../../errors.js";
import { defaultGamma, defaultWeights, linearGamma, type GammaFunction, type WeightsFunction } from "./gamma-and-weights.js";

/** Options of TPESampler. Every one is optional; the defaults are Shoal's (see `tpeDefaults`). */
export interface TPESamplerOptions {
  /** Makes the study reproducible: each trial's draws depend only on the seed and the trial number. */
  seed?: number;
  /** Trials sampled at random before TPE starts (COMPLETE and PRUNED ones count). @default 10 */
  nStartupTrials?: number;
  /** Candidates drawn from l(x); the one with the best l(x)/g(x) is taken. @default 48 */
  nEiCandidates?: number;
  /**
   * Sample the parameters every finished trial has jointly, with one mixture over all. "auto":
   * jointly with one or two objectives, one parameter at a time with three or more (measured on
   * DTLZ1/DTLZ2 with 3 and 4 objectives, where the joint mixture spreads too little along the
   * front). @default "auto"
   */
  multivariate?: boolean | "auto";
  /** With multivariate: split the space into groups of parameters that occur together. @default false */
  group?: boolean;
  /** Count RUNNING trials as bad observations, so parallel trials spread out. @default true */
  constantLiar?: boolean;
  /** Weight of the prior component against each observation's weight. @default 1 */
  priorWeight?: number;
  /** Keep kernels from growing narrower than range / min(100, n + 2). @default true */
  considerMagicClip?: boolean;
  /** Let the outermost observations' kernels reach to the ends of the range. @default false */
  considerEndpoints?: boolean;
  /** How many of n observations are "good". @default linearGamma(0.25, 50): min(ceil(n / 4), 50) */
  gamma?: GammaFunction;
  /** Observation weights, oldest first. @default defaultWeights */
  weights?: WeightsFunction;
  /**
   * A finished trial's constraint values (each <= 0 holds), stored as its `constraints` system
   * attr; infeasible trials then count as good only when too few feasible ones are, least
   * violation first (Optuna's constraints_func), and are never a study's best.
   */
  constraintsFunc?: ConstraintsFunc;
}

/** TPESamplerOptions with every default filled in and checked. */
export interface CompiledTPESamplerOptions {
  readonly seed: number;
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly multivariate: boolean | "auto";
  readonly group: boolean;
  readonly constantLiar: boolean;
  readonly priorWeight: number;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  readonly gamma: GammaFunction;
  readonly weights: WeightsFunction;
  readonly constraintsFunc?: ConstraintsFunc | undefined;
}

/**
 * Shoal's defaults, chosen on the quality benchmark (bench/quality.ts, tuned on other seeds than
 * it reports): Optuna's, except multivariate (up to two objectives), a larger gamma and twice the
 * candidates, which do better within ~150 trials; and constant liar, for parallel studies.
 */
export const tpeDefaults = {
  nStartupTrials: 10,
  nEiCandidates: 48,
  multivariate: "auto",
  group: false,
  constantLiar: true,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  gamma: linearGamma(0.25, 50),
  weights: defaultWeights,
} as const satisfies Omit<CompiledTPESamplerOptions, "seed">;

/** Optuna 4.9's defaults, for exact parity: `new TPESampler({ ...optunaTPEDefaults, seed })`. */
export const optunaTPEDefaults = {
  nStartupTrials: 10,
  nEiCandidates: 24,
  multivariate: false,
  group: false,
  constantLiar: false,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  gamma: defaultGamma,
  weights: defaultWeights,
} as const satisfies Omit<CompiledTPESamplerOptions, "seed">;

/** Fills in the defaults and checks every option; throws InvalidOptionError naming the bad one. */
export function compileTPESamplerOptions(options: TPESamplerOptions = {}): CompiledTPESamplerOptions {
  const o = { ...tpeDefaults, ...definedOnly(options) };
  if (options.seed !== undefined && !Number.isFinite(options.seed)) {
    throw new InvalidOptionError("seed", `must be a finite number, got ${String(options.seed)}.`);
  }
  checkIntegerOption("nStartupTrials", o.nStartupTrials, 0);
  checkIntegerOption("nEiCandidates", o.nEiCandidates, 1);
  if (typeof o.priorWeight !== "number" || !Number.isFinite(o.priorWeight) || o.priorWeight <= 0) {
    throw new InvalidOptionError("priorWeight", `must be a finite number > 0, got ${String(o.priorWeight)}.`);
  }
  if (o.multivariate !== "auto" && typeof o.multivariate !== "boolean") {
    throw new InvalidOptionError("multivariate", `must be true, false or "auto", got ${String(o.multivariate)}.`);
  }
  for (const name of ["group", "constantLiar", "considerMagicClip", "considerEndpoints"] as const) {
    if (typeof o[name] !== "boolean") {
      throw new InvalidOptionError(name, `must be true or false, got ${String(o[name])}.`);
    }
  }
  if (o.group && o.multivariate === false) {
    throw new InvalidOptionError("group", "group: true needs multivariate: true (groups are sampled jointly).");
  }
  for (const name of ["gamma", "weights"] as const) {
    if (typeof o[name] !== "function") {
      throw new InvalidOptionError(name, `must be a function of the number of observations, got ${typeof o[name]}.`);
    }
  }
  if (o.constraintsFunc !== undefined && typeof o.constraintsFunc !== "function") {
    throw new InvalidOptionError("constraintsFunc", `must be a function of a trial returning its constraint values, got ${typeof o.constraintsFunc}.`);
  }
  return { ...o, seed: options.seed ?? Math.floor(Math.random() * 2 ** 32) };
}

/** gamma(n), checked: an integer count in [0, n]. */
export function callGamma(gamma: GammaFunction, n: number): number {
  const g = gamma(n);
  if (typeof g !== "number" || Number.isNaN(g) || g < 0) {
    throw new InvalidOptionError("gamma", `gamma(${n}) must return a number >= 0, got ${String(g)}.`);
  }
  return Math.min(Math.floor(g), n);
}

/** weights(n), checked: n finite numbers >= 0. */
export function callWeights(weights: WeightsFunction, n: number): ArrayLike<number> {
  if (n === 0) return [];
  const w = weights(n);
  if (w === null || typeof w !== "object" || w.length !== n) {
    throw new InvalidOptionError("weights", `weights(${n}) must return ${n} numbers, got ${describeLength(w)}.`);
  }
  for (let i = 0; i < n; i++) {
    const v = w[i];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new InvalidOptionError("weights", `weights(${n}) must return finite numbers >= 0, got ${String(v)} at ${i}.`);
    }
  }
  return w;
}

function describeLength(w: unknown): string {
  return w !== null && typeof w === "object" && "length" in w ? `${String(w.length)} values` : String(w);
}

/** Options left undefined take the default, as if not given. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
