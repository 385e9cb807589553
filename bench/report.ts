/**
 * The report of a big study: builds a 10,000-trial study in memory (RandomSampler; a float, a log
 * float, an int, a categorical and an unused param; 10 intermediate values each; about 8% pruned
 * and 3% failed; four workers), then times `writeReport` and prints the size of what it wrote.
 * The budget: under 5 s and under 10 MB of HTML.
 *
 *   tsx report.ts [--trials N] [--out DIR] [--png]
 */
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createLogger, createStudy, RandomSampler, type Study } from "@shoal/core";
import { writeReport } from "@shoal/viz";

const { values: flags } = parseArgs({
  options: { trials: { type: "string", default: "10000" }, out: { type: "string" }, png: { type: "boolean", default: false } },
});
const N = Number(flags.trials);
const TIME_BUDGET_MS = 5000;
const SIZE_BUDGET_BYTES = 10 * 1024 * 1024;

function buildStudy(n: number): Study {
  const study = createStudy({ studyName: "bench-report", sampler: new RandomSampler({ seed: 0 }), logger: createLogger({ level: "silent" }) });
  for (let i = 0; i < n; i++) {
    const trial = study.ask();
    const x = trial.suggestFloat("x", -10, 10);
    const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
    const layers = trial.suggestInt("layers", 1, 8);
    const optimizer = trial.suggestCategorical("optimizer", ["sgd", "adam", "rmsprop"]);
    trial.suggestFloat("unused", 0, 1);
    const value = (x - 2) ** 2 + (Math.log10(lr) + 3) ** 2 + layers * 0.5 + (optimizer === "adam" ? 0 : 3);
    for (let step = 0; step < 10; step++) trial.report(value * (1 + 1 / (step + 1)), step);
    study.storage.setTrialSystemAttr(trial.trialId, "worker", `worker-${(i % 4) + 1}`);
    if (i % 37 === 0) study.tell(trial, undefined, { state: "FAIL" });
    else if (i % 13 === 0) study.tell(trial, undefined, { state: "PRUNED" });
    else study.tell(trial, value);
  }
  return study;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

const buildStarted = performance.now();
const study = buildStudy(N);
console.log(`Built a ${N}-trial study in ${((performance.now() - buildStarted) / 1000).toFixed(1)} s.`);

const outDir = flags.out ?? (await mkdtemp(path.join(tmpdir(), "shoal-bench-report-")));
const started = performance.now();
const result = await writeReport(study, { outDir, png: flags.png });
const elapsedMs = performance.now() - started;

const files = (await readdir(outDir)).filter((f) => f.endsWith(".html")).sort();
const sizes = await Promise.all(files.map(async (f) => [f, (await stat(path.join(outDir, f))).size] as const));
const reportSize = (await stat(result.reportFile)).size;
const largest = Math.max(...sizes.map(([, s]) => s));
const total = sizes.reduce((sum, [, s]) => sum + s, 0);

console.log(`writeReport: ${(elapsedMs / 1000).toFixed(2)} s${flags.png ? " (with PNGs)" : ""}`);
for (const [file, size] of sizes) console.log(`  ${file.padEnd(28)} ${mb(size).padStart(9)}`);
console.log(`report.html ${mb(reportSize)}; largest page ${mb(largest)}; all ${files.length} pages ${mb(total)} (each inlines the 4.6 MB plotly bundle)`);
const timeOk = flags.png || elapsedMs < TIME_BUDGET_MS;
const sizeOk = reportSize < SIZE_BUDGET_BYTES && largest < SIZE_BUDGET_BYTES;
console.log(`Budget (under 5 s, each HTML file under 10 MB): ${timeOk && sizeOk ? "met" : "NOT met"}`);
if (flags.out === undefined) await rm(outDir, { recursive: true, force: true });
if (!(timeOk && sizeOk)) process.exitCode = 1;
