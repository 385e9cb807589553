/**
 * The run that chose TPESampler's multi-objective defaults (multivariate "auto"): the median
 * hypervolume after 200 trials over seeds 100..109 (not mo-quality.ts's 0..9) per TPE variant, on
 * mo-functions.ts and on two more DTLZ2 shapes (2 objectives; 3 objectives on 8 floats).
 *
 *   tsx mo-tuning.ts [--seeds 10] [--trials 200]
 */
import { defaultGamma, optunaTPEDefaults, TPESampler, type Sampler } from "@shoal/core";
import { formatTable, intFlag, parseFlags } from "./anchor.js";
import { dtlz2, frontHypervolume, hvText, median, MO_FUNCTIONS, type MultiObjectiveFunction } from "./mo-functions.js";

const flags = parseFlags(process.argv.slice(2));
const SEEDS = intFlag(flags, "seeds", 10);
const TRIALS = intFlag(flags, "trials", 200);

const VARIANTS: Record<string, (seed: number) => Sampler> = {
  "default (auto)": (seed) => new TPESampler({ seed }),
  joint: (seed) => new TPESampler({ seed, multivariate: true }),
  "one at a time": (seed) => new TPESampler({ seed, multivariate: false }),
  "Optuna's gamma": (seed) => new TPESampler({ seed, gamma: defaultGamma }),
  "24 candidates": (seed) => new TPESampler({ seed, nEiCandidates: 24 }),
  "Optuna's options": (seed) => new TPESampler({ ...optunaTPEDefaults, seed }),
};
const FUNCTIONS: Record<string, MultiObjectiveFunction> = { ...MO_FUNCTIONS, dtlz2_m2: dtlz2(2, 6), dtlz2_n8: dtlz2(3, 8) };

console.log(`TPE variants: median hypervolume after ${TRIALS} trials over seeds 100..${99 + SEEDS} (higher is better)`);
const rows = Object.entries(FUNCTIONS).map(([name, fn]) => {
  const row = [name, ...Object.values(VARIANTS).map((make) => {
    const v = median(Array.from({ length: SEEDS }, (_, i) => frontHypervolume(fn, make(100 + i), TRIALS)));
    return hvText(v);
  })];
  process.stderr.write(`${name} done\n`);
  return row;
});
console.log(formatTable([["function", ...Object.keys(VARIANTS)], ...rows]));
