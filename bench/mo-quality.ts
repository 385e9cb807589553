/**
 * Multi-objective quality, the shape of anchors/mo_quality.py: the median hypervolume of the
 * Pareto front after N trials over SEEDS seeds, per sampler, on ZDT1 (the figure) and on
 * functions of our own (mo-functions.ts); and the sampler's time per trial at 1,000 trials of
 * ZDT1. With --live-anchor, Optuna's figures come from running mo_quality.py in the same run.
 *
 *   tsx mo-quality.ts [--seeds 10] [--trials 200] [--live-anchor] [--time-trials 1000]
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { NSGAIIISampler, NSGAIISampler, optunaTPEDefaults, RandomSampler, TPESampler, type Sampler } from "@shoal/core";
import { formatTable, intFlag, parseFlags, runAnchor, runBenchAnchor } from "./anchor.js";
import { frontHypervolume, hvText, median, MO_FUNCTIONS } from "./mo-functions.js";

const flags = parseFlags(process.argv.slice(2));
const SEEDS = intFlag(flags, "seeds", 10);
const TRIALS = intFlag(flags, "trials", 200);
const TIME_TRIALS = intFlag(flags, "time-trials", 1000);

/** The samplers compared, by column title. */
const SAMPLERS: Record<string, (seed: number) => Sampler> = {
  random: (seed) => new RandomSampler({ seed }),
  "NSGA-II": (seed) => new NSGAIISampler({ seed }),
  "NSGA-III": (seed) => new NSGAIIISampler({ seed }),
  "MOTPE (Optuna opts)": (seed) => new TPESampler({ ...optunaTPEDefaults, seed }),
  "Shoal default (TPE)": (seed) => new TPESampler({ seed }),
};

/** Optuna 3.1 on these machines (the figures), when no live run is asked for. */
const RECORDED: Record<string, Record<string, number>> = { zdt1: { random: 10.03, nsga2: 10.22, tpe: 10.95 } };

console.log(`Multi-objective quality: median hypervolume after ${TRIALS} trials over ${SEEDS} seeds (higher is better)`);
const rows: (string | number)[][] = [];
for (const [name, fn] of Object.entries(MO_FUNCTIONS)) {
  const row: (string | number)[] = [name];
  for (const make of Object.values(SAMPLERS)) {
    const hvs = Array.from({ length: SEEDS }, (_, seed) => frontHypervolume(fn, make(seed), TRIALS));
    row.push(hvText(median(hvs)));
  }
  rows.push(row);
  process.stderr.write(`${name} done\n`);
}

let anchor: Record<string, Record<string, number>> = RECORDED;
let anchorLabel = "Optuna 3.1 (recorded in the issue)";
if (flags.has("live-anchor")) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "shoal-mo-anchor-"));
  try {
    const out = runAnchor("mo_quality.py", [String(TRIALS), String(SEEDS)], dir);
    // The anchor names its JSON file after Optuna's version: optuna<version>_mo_n<N>_s<S>.json.
    const file = readdirSync(dir).find((f) => f.endsWith(".json")) ?? "";
    anchor = {};
    for (const line of out.split("\n")) {
      const m = /^(\w+) (\w+) median hypervolume ([0-9.]+)/.exec(line);
      if (m) (anchor[m[1]!] ??= {})[m[2]!] = Number(m[3]);
    }
    anchorLabel = `Optuna ${/^optuna(.+?)_mo_/.exec(file)?.[1] ?? "?"} (run now)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const shown = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(3));
console.log(
  formatTable([
    ["function", ...Object.keys(SAMPLERS), "Optuna random", "Optuna NSGA-II", "Optuna TPE"],
    ...rows.map((r) => [...r.map(String), ...["random", "nsga2", "tpe"].map((s) => shown(anchor[r[0] as string]?.[s]))]),
  ]),
);
console.log(`Optuna's columns: ${anchorLabel}; ZDT1 only (the anchor runs ZDT1). ZDT1's ideal front gives 11.767.`);

console.log(`\nSampler time per trial at ${TIME_TRIALS} trials of ZDT1 (objective ~free, ask/tell), ms:`);
// Optuna's, from bench/mo_overhead_anchor.py in the same run (with --live-anchor).
const optunaMs: Record<string, string> = {};
if (flags.has("live-anchor")) {
  for (const line of runBenchAnchor("mo_overhead_anchor.py", [String(TIME_TRIALS)]).split("\n")) {
    const m = /^(\w+) ms\/trial ([0-9.]+)/.exec(line);
    if (m) optunaMs[m[1]!] = m[2]!;
  }
}
const optunaOf: Record<string, string> = { "NSGA-II": "nsga2", "NSGA-III": "-", "MOTPE (Optuna opts)": "tpe", "Shoal default (TPE)": "tpe" };
const timeRows: string[][] = [];
for (const [label, make] of Object.entries(SAMPLERS)) {
  const t0 = performance.now();
  frontHypervolume(MO_FUNCTIONS.zdt1!, make(0), TIME_TRIALS);
  const optuna = optunaOf[label];
  timeRows.push([label, ((performance.now() - t0) / TIME_TRIALS).toFixed(2), optuna ? (optunaMs[optuna] ?? "-") : "-"]);
}
console.log(formatTable([["sampler", "Shoal ms/trial", "Optuna ms/trial (same run)"], ...timeRows]));
