/**
 * Sampler overhead, the shape of anchors/sampler_overhead.py: N trials of a free D-dimensional
 * objective (sum of x_i^2, x_i in [-5, 5]), cumulative seconds at trials 100/250/500/1000, for
 * random, TPE and multivariate TPE with Optuna's options (and Shoal's default TPE, for
 * information), CMA-ES and QMC (Optuna's timed by bench/samplers_overhead_anchor.py); then the heap of a 10,000-trial in-memory study. Prints Optuna's figures beside
 * (run live when Optuna is installed).
 *
 * Each sampler runs --repeat times (default 3), each time in a fresh process (a cold JIT and no
 * traces of the sampler before, as a user's run would be); the fastest run is shown, with the
 * median, since these machines are shared and noisy.
 *
 *   node --expose-gc --import tsx sampler-overhead.ts [--trials N] [--dims D] [--repeat R]
 *        [--memory-trials M] [--no-anchor]
 *   SHOAL_BENCH_NO_ANCHOR=1 skips the Optuna run too.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import {
  CmaEsSampler,
  QMCSampler,
  createLogger,
  createStudy,
  optunaTPEDefaults,
  RandomSampler,
  TPESampler,
  type BaseTrial,
  type Sampler,
} from "@shoal/core";
import {
  formatTable,
  intFlag,
  optunaVersion,
  parseFlags,
  parseOverheadOutput,
  RECORDED_OVERHEAD_31,
  RECORDED_OVERHEAD_49,
  runAnchor,
  runBenchAnchor,
  type OverheadFigures,
} from "./anchor.js";

const flags = parseFlags(process.argv.slice(2));
const N = intFlag(flags, "trials", 1000);
const D = intFlag(flags, "dims", 5);
const MEMORY_TRIALS = intFlag(flags, "memory-trials", 10_000);
const REPEAT = intFlag(flags, "repeat", 3);
const skipAnchor = flags.has("no-anchor") || Boolean(process.env.SHOAL_BENCH_NO_ANCHOR);
const MARKS = [100, 250, 500, 1000, 2000].filter((m) => m <= N);
const silent = createLogger({ level: "silent" });

/** Optuna's three, with Optuna's options; then Shoal's default TPESampler() for information. */
const samplers: Record<string, () => Sampler> = {
  random: () => new RandomSampler({ seed: 0 }),
  tpe: () => new TPESampler({ ...optunaTPEDefaults, seed: 0 }),
  "tpe-multivariate": () => new TPESampler({ ...optunaTPEDefaults, multivariate: true, seed: 0 }),
  "tpe (Shoal defaults)": () => new TPESampler({ seed: 0 }),
  cmaes: () => new CmaEsSampler({ seed: 0 }),
  qmc: () => new QMCSampler({ seed: 0 }),
};

function objective(t: BaseTrial): number {
  let sum = 0;
  for (let i = 0; i < D; i++) {
    const x = t.suggestFloat(`x${i}`, -5, 5);
    sum += x * x;
  }
  return sum;
}

interface Run {
  marks: Record<number, number>;
  best: number;
}

/** Runs N trials one by one through ask/tell and records the cumulative time at each mark. */
function timeSampler(make: () => Sampler): Run {
  const study = createStudy({ sampler: make(), logger: silent });
  const marks: Record<number, number> = {};
  const t0 = performance.now();
  for (let k = 1; k <= N; k++) {
    const trial = study.ask();
    study.tell(trial, objective(trial));
    if (MARKS.includes(k)) marks[k] = (performance.now() - t0) / 1000;
  }
  return { marks, best: study.bestValue };
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/** Heap in use (MB) by an in-memory study of `trials` random-sampled trials, after GC. */
function studyHeap(trials: number): { totalMB: number; studyMB: number; gcExposed: boolean } {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const study = createStudy({ sampler: new RandomSampler({ seed: 0 }), logger: silent });
  for (let k = 0; k < trials; k++) {
    const trial = study.ask();
    study.tell(trial, objective(trial));
  }
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  if (study.trials.length !== trials) throw new Error("study lost trials");
  return {
    totalMB: after / 2 ** 20,
    studyMB: (after - before) / 2 ** 20,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === "function",
  };
}

const fmt = (v: number | undefined): string => (v === undefined ? "-" : v < 10 ? v.toFixed(3) : v.toFixed(1));
const row = (m: Record<number, number> | undefined): string => MARKS.map((k) => fmt(m?.[k])).join(" / ");

/** One run of one sampler in a child process (this script with --run NAME). */
function runInFreshProcess(name: string): Run {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, script, "--run", name, "--trials", String(N), "--dims", String(D)],
    { encoding: "utf8" },
  );
  if (child.status !== 0) throw new Error(`the ${name} run failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1) as string) as Run;
}

const only = flags.get("run");
if (typeof only === "string") {
  const make = samplers[only];
  if (make === undefined) throw new Error(`--run: no sampler named ${only}`);
  console.log(JSON.stringify(timeSampler(make)));
  process.exit(0);
}

console.log(
  `Sampler overhead: N=${N} trials, D=${D} float params, free objective (Node ${process.version}, ` +
    `${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}); fastest of ${REPEAT} fresh processes`,
);
const shoal: OverheadFigures = {};
for (const name of Object.keys(samplers)) {
  const runs = Array.from({ length: REPEAT }, () => runInFreshProcess(name));
  const last = MARKS[MARKS.length - 1] as number;
  runs.sort((a, b) => (a.marks[last] as number) - (b.marks[last] as number));
  const fastest = runs[0] as Run;
  shoal[name] = fastest.marks;
  const median = runs[runs.length >> 1]?.marks[last] as number;
  console.log(`  shoal ${name}: ${row(fastest.marks)} s   (median of ${REPEAT}: ${fmt(median)} s)   best ${fastest.best.toFixed(4)}`);
}

let anchorTitle = "Optuna 4.9.0 (recorded)";
let anchor: OverheadFigures = RECORDED_OVERHEAD_49;
const version = skipAnchor ? null : optunaVersion();
if (version !== null && N <= 2000) {
  console.log(`Running anchors/sampler_overhead.py ${N} ${D} with Optuna ${version} (about 90 s; --no-anchor skips it)...`);
  try {
    anchor = parseOverheadOutput(runAnchor("sampler_overhead.py", [String(N), String(D)], os.tmpdir()));
    // The shared anchor has no CMA-ES or QMC row: bench/'s own script times Optuna's the same way.
    Object.assign(anchor, parseOverheadOutput(runBenchAnchor("samplers_overhead_anchor.py", [String(N), String(D)])));
    anchorTitle = `Optuna ${version} (live)`;
  } catch (error) {
    console.log(`  anchor failed, using the recorded figures: ${String(error)}`);
  }
}

const header = ["sampler", `Shoal (s at ${MARKS.join("/")})`, anchorTitle];
const showRecorded31 = !anchorTitle.startsWith("Optuna 3.1");
if (showRecorded31) header.push("Optuna 3.1.0 (recorded)");
const table: string[][] = [header];
for (const name of Object.keys(samplers)) {
  const line = [name, row(shoal[name]), row(anchor[name])];
  if (showRecorded31) line.push(row(RECORDED_OVERHEAD_31[name]));
  table.push(line);
}
if (anchorTitle.endsWith("(live)")) {
  table.push(["tpe (recorded 4.9)", "", row(RECORDED_OVERHEAD_49.tpe)]);
  table.push(["tpe-multivariate (recorded 4.9)", "", row(RECORDED_OVERHEAD_49["tpe-multivariate"])]);
}
console.log();
console.log(formatTable(table));
const last = MARKS[MARKS.length - 1] as number;
for (const [name, target] of [
  ["tpe", 1.0],
  ["tpe-multivariate", 0.5],
] as const) {
  const total = shoal[name]?.[last];
  if (last === 1000 && total !== undefined) {
    console.log(`  ${name}: ${total.toFixed(3)} s for 1000 trials, target <= ${target} s: ${total <= target ? "met" : "MISSED"}`);
  }
}

const heap = studyHeap(MEMORY_TRIALS);
console.log();
console.log(
  `Memory: in-memory study of ${MEMORY_TRIALS} trials (RandomSampler, ${D} params): heap used ${heap.totalMB.toFixed(1)} MB ` +
    `(${heap.studyMB.toFixed(1)} MB for the study), target < 150 MB: ${heap.totalMB < 150 ? "met" : "MISSED"}` +
    (heap.gcExposed ? "" : "  (no --expose-gc: figures include garbage)"),
);
