/**
 * Running Optuna's anchor scripts (shared/anchors) beside Shoal's benchmarks, and the figures the
 * anchors' README recorded for when Optuna is not installed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The monorepo root (bench/ sits right under it). */
export const repoRoot = path.resolve(here, "..");
/** shared/ lives beside the repository. */
export const anchorsDir = path.resolve(repoRoot, "../shared/anchors");
const PYTHON = "/usr/bin/python3";

/** The flags every benchmark takes: `--name value` and bare `--flag`. */
export function parseFlags(argv: readonly string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      flags.set(arg.slice(2), next);
      i++;
    } else flags.set(arg.slice(2), true);
  }
  return flags;
}

/** An integer flag, or the default. */
export function intFlag(flags: Map<string, string | true>, name: string, fallback: number): number {
  const v = flags.get(name);
  if (v === undefined || v === true) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${v}`);
  return n;
}

/** The installed Optuna's version, or null when python3 or optuna is missing or anchors/ is absent. */
export function optunaVersion(): string | null {
  if (!existsSync(anchorsDir)) return null;
  try {
    return execFileSync(PYTHON, ["-c", "import optuna; print(optuna.__version__)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}

/** Runs an anchor script from anchors/ in `cwd` (quality.py writes its JSON there) and returns its stdout. */
export function runAnchor(script: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(PYTHON, [path.join(anchorsDir, script), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: anchorsDir },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  return result.stdout;
}

/** Runs one of bench/'s own Optuna scripts (beside this file) and returns its standard output. */
export function runBenchAnchor(script: string, args: readonly string[]): string {
  const result = spawnSync(PYTHON, [path.join(here, script), ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  return result.stdout;
}

/** Cumulative seconds at the trial marks, per sampler, as in anchors/README.md. */
export type OverheadFigures = Record<string, Record<number, number>>;

/** anchors/README.md, "Sampler overhead", Optuna 4.9.0 column. */
export const RECORDED_OVERHEAD_49: OverheadFigures = {
  random: { 100: 0.03, 250: 0.08, 500: 0.16, 1000: 0.3 },
  tpe: { 100: 0.7, 250: 2.35, 500: 6.3, 1000: 18.5 },
  "tpe-multivariate": { 100: 0.3, 250: 1.03, 500: 2.89, 1000: 9.31 },
};

/** anchors/README.md, "Sampler overhead", Optuna 3.1.0 column. */
export const RECORDED_OVERHEAD_31: OverheadFigures = {
  random: { 100: 0.05, 250: 0.12, 500: 0.25, 1000: 0.56 },
  tpe: { 100: 1.95, 250: 5.98, 500: 14.9, 1000: 44.8 },
  "tpe-multivariate": { 100: 1.58, 250: 4.86, 500: 12.8, 1000: 43.7 },
};

/** Parses sampler_overhead.py's lines: `tpe N=1000 D=5 cumulative s at trial: {100: 0.7, ...} best 0.1`. */
export function parseOverheadOutput(stdout: string): OverheadFigures {
  const out: OverheadFigures = {};
  for (const line of stdout.split("\n")) {
    const m = /^(\S+) N=\d+ D=\d+ cumulative s at trial: \{([^}]*)\}/.exec(line);
    if (!m) continue;
    const marks: Record<number, number> = {};
    for (const pair of (m[2] as string).split(",")) {
      const [k, v] = pair.split(":").map((s) => Number(s.trim()));
      if (k !== undefined && v !== undefined && Number.isFinite(k)) marks[k] = v;
    }
    out[m[1] as string] = marks;
  }
  return out;
}

/** The columns of anchors/README.md's quality table. */
export const RECORDED_QUALITY_COLUMNS = ["random", "3.1 TPE", "3.1 TPE mv", "3.1 CMA-ES", "4.9 TPE", "4.9 TPE mv"] as const;

/** anchors/README.md, "Quality": median best after 100 trials over 20 seeds. */
export const RECORDED_QUALITY: Record<string, Record<(typeof RECORDED_QUALITY_COLUMNS)[number], number>> = {
  branin: { random: 0.778, "3.1 TPE": 0.41, "3.1 TPE mv": 0.47, "3.1 CMA-ES": 0.411, "4.9 TPE": 0.448, "4.9 TPE mv": 0.482 },
  hartmann6: { random: -2.123, "3.1 TPE": -3.068, "3.1 TPE mv": -3.134, "3.1 CMA-ES": -3.047, "4.9 TPE": -2.996, "4.9 TPE mv": -3.004 },
  rosenbrock4: { random: 858.8, "3.1 TPE": 61.2, "3.1 TPE mv": 53.8, "3.1 CMA-ES": 44.7, "4.9 TPE": 129.9, "4.9 TPE mv": 64.8 },
  styblinski5: { random: -140.3, "3.1 TPE": -165.5, "3.1 TPE mv": -168.0, "3.1 CMA-ES": -152.8, "4.9 TPE": -166.8, "4.9 TPE mv": -154.1 },
  ackley5: { random: 17.11, "3.1 TPE": 7.93, "3.1 TPE mv": 8.86, "3.1 CMA-ES": 6.44, "4.9 TPE": 11.37, "4.9 TPE mv": 10.08 },
};

/** Pads a table's columns to equal width (first column left-aligned, the rest right). */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  "))
    .join("\n");
}
