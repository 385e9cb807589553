/**
 * Quality under parallelism: TPE with 8 trials in flight against sequential TPE, with and
 * without constant liar, on functions of the quality benchmark (bench/functions.ts).
 *
 * The cluster is SIMULATED in this process with core's ask/tell, which makes it fast and
 * deterministic: the coordinator samples a trial's params when it enqueues it and records the
 * result when a worker is done, so with 8 slots and trials of equal length it keeps 8 trials
 * asked-but-not-told and, each time the oldest is told, asks a new one. Here each trial's params
 * are sampled (the objective runs) at ask time and its value is told when it is the oldest of 8.
 * The in-flight trials are RUNNING while the next ones are sampled, exactly as on the cluster.
 *
 * One more variant runs the cluster's own code for it: the coordinator's proposeTrial and
 * trialJobData, the worker's RemoteTrial, and the coordinator's recordResult, to show that
 * constant liar reaches the cluster (the proposals are the RUNNING trials' params).
 *
 *   npx tsx bench/cluster-quality.ts [--seeds 50] [--trials 100] [--inflight 8]
 *                                    [--functions branin,hartmann6,rosenbrock4]
 */
import os from "node:os";
import {
  createLogger,
  createStudy,
  NopPruner,
  RandomSampler,
  TPESampler,
  tpeDefaults,
  type Sampler,
  type Trial,
} from "@shoal/core";
import { proposeTrial, recordResult, trialJobData } from "@shoal/coordinator";
import type { TrialResult } from "@shoal/redis";
import { RemoteTrial } from "@shoal/worker";
import { FUNCTIONS, type BenchmarkFunction } from "./functions.js";
import { flags as parseFlags, fmt, median, quantile, table } from "./cluster-common.js";

const f = parseFlags();
const SEEDS = f.num("seeds", 50);
const TRIALS = f.num("trials", 100);
const INFLIGHT = f.num("inflight", 8);
const FUNCTION_NAMES = f.str("functions", "branin,hartmann6,rosenbrock4").split(",");
const silent = createLogger({ level: "silent" });

const HAS_CONSTANT_LIAR = "constantLiar" in tpeDefaults;

interface Variant {
  name: string;
  inflight: number;
  sampler: (seed: number) => Sampler;
  /** Through the coordinator's and worker's own code: proposeTrial, RemoteTrial, recordResult. */
  clusterPath?: boolean;
}

const variants: Variant[] = [
  { name: "random (reference)", inflight: 1, sampler: (seed) => new RandomSampler({ seed }) },
  { name: "TPE sequential", inflight: 1, sampler: (seed) => new TPESampler({ seed, constantLiar: false }) },
  { name: `TPE ${INFLIGHT} in flight, no constant liar`, inflight: INFLIGHT, sampler: (seed) => new TPESampler({ seed, constantLiar: false }) },
  { name: `TPE ${INFLIGHT} in flight, constant liar`, inflight: INFLIGHT, sampler: (seed) => new TPESampler({ seed, constantLiar: true }) },
  {
    name: `TPE ${INFLIGHT} in flight, constant liar, cluster's propose path`,
    inflight: INFLIGHT,
    sampler: (seed) => new TPESampler({ seed, constantLiar: true }),
    clusterPath: true,
  },
];

/** Best value after each trial (1-based index), running `inflight` trials at once. */
function run(fn: BenchmarkFunction, sampler: Sampler, inflight: number, clusterPath = false): number[] {
  if (clusterPath) return runClusterPath(fn, sampler, inflight);
  const study = createStudy({ sampler, logger: silent });
  const pending: Array<{ trial: Trial; value: number }> = [];
  const bestAfter: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let asked = 0;
  const tellOldest = () => {
    const { trial, value } = pending.shift() as (typeof pending)[number];
    study.tell(trial, value);
    best = Math.min(best, value);
    bestAfter.push(best);
  };
  while (asked < TRIALS) {
    while (pending.length < inflight && asked < TRIALS) {
      const trial = study.ask();
      // The params are sampled now, while the other in-flight trials are RUNNING.
      pending.push({ trial, value: fn.objective(trial) });
      asked += 1;
    }
    tellOldest();
  }
  while (pending.length > 0) tellOldest();
  return bestAfter;
}

/** The same schedule through the cluster's code: the coordinator proposes, a RemoteTrial runs, recordResult records. */
function runClusterPath(fn: BenchmarkFunction, sampler: Sampler, inflight: number): number[] {
  const study = createStudy({ sampler, logger: silent });
  const pending: TrialResult[] = [];
  const bestAfter: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let asked = 0;
  const now = new Date().toISOString();
  const tellOldest = () => {
    const result = pending.shift() as TrialResult;
    recordResult(study, result);
    best = Math.min(best, result.value as number);
    bestAfter.push(best);
  };
  while (asked < TRIALS) {
    while (pending.length < inflight && asked < TRIALS) {
      const { number, proposal } = proposeTrial(study);
      const remote = new RemoteTrial(trialJobData(study, number, proposal, null, 7), new NopPruner(), study, () => undefined);
      const value = fn.objective(remote);
      pending.push({
        v: 1, study: study.studyName, number, state: "COMPLETE", value, params: { ...remote.params }, distributions: { ...remote.distributions },
        userAttrs: {}, intermediateValues: {}, failReason: null, worker: "bench", datetimeStart: now, datetimeComplete: now,
      });
      asked += 1;
    }
    tellOldest();
  }
  while (pending.length > 0) tellOldest();
  return bestAfter;
}

const t0 = performance.now();
const rows: Array<Array<string | number>> = [["function", "variant", "median best @25", "median best @50", `median best @${TRIALS}`, "IQR best", `median regret @${TRIALS}`]];
const summary: Array<Array<string | number>> = [
  ["function", "sequential", `${INFLIGHT} in flight, no CL`, `${INFLIGHT} in flight, CL`, "CL gain (regret no CL / CL)", "CL, cluster's propose path"],
];
let clusterPathIsNoCl = true;
for (const name of FUNCTION_NAMES) {
  const fn = FUNCTIONS[name];
  if (!fn) throw new Error(`no function ${name} in bench/functions.ts (have ${Object.keys(FUNCTIONS).join(", ")})`);
  const finals = new Map<string, number>();
  for (const v of variants) {
    const curves = Array.from({ length: SEEDS }, (_, seed) => run(fn, v.sampler(seed), v.inflight, v.clusterPath));
    const at = (k: number) => median(curves.map((c) => c[Math.min(k, c.length) - 1] as number));
    const final = curves.map((c) => c[c.length - 1] as number);
    finals.set(v.name, median(final) - fn.optimum);
    rows.push([
      name,
      v.name,
      fmt(at(25), 4),
      fmt(at(50), 4),
      fmt(at(TRIALS), 4),
      `${fmt(quantile(final, 0.25), 4)} .. ${fmt(quantile(final, 0.75), 4)}`,
      fmt(median(final) - fn.optimum, 4),
    ]);
  }
  const seq = finals.get(variants[1]!.name) as number;
  const noCl = finals.get(variants[2]!.name) as number;
  const cl = finals.get(variants[3]!.name) as number;
  const clCluster = finals.get(variants[4]!.name) as number;
  if (clCluster !== noCl) clusterPathIsNoCl = false;
  summary.push([name, fmt(seq, 4), fmt(noCl, 4), fmt(cl, 4), fmt(noCl / cl, 2) + "x", fmt(clCluster, 4)]);
}
const seconds = (performance.now() - t0) / 1000;

console.log(
  `Quality under parallelism: median best over ${SEEDS} seeds x ${TRIALS} trials; TPE with Shoal's defaults ` +
    `(multivariate) and constantLiar on/off; Node ${process.version}, ${os.cpus().length} cores, ${fmt(seconds)} s`,
);
console.log(
  `${INFLIGHT} in flight is SIMULATED in one process with ask/tell (${INFLIGHT} trials asked-but-not-told, the oldest told ` +
    `and a new one asked each step: what the coordinator does with ${INFLIGHT} busy slots and trials of equal length); ` +
    `no Redis, no worker processes, deterministic.`,
);
if (!HAS_CONSTANT_LIAR) console.log("NOTE: @shoal/core's TPESampler has no constantLiar option: the constant-liar rows are the same as without it.");
console.log("");
console.log(table(rows));
console.log("");
console.log("Median regret (median best - optimum) after " + TRIALS + " trials:");
console.log(table(summary));
console.log("");
console.log(
  "\"cluster's propose path\": the coordinator's proposeTrial/recordResult and the worker's RemoteTrial, run in process. " +
    "" +
    (clusterPathIsNoCl
      ? "Its figures equal \"no constant liar\" exactly: the RUNNING trials carry no params, so constant liar has nothing to lie about on the cluster."
      : "Its figures differ from \"no constant liar\": constant liar reaches the RUNNING trials on the cluster."),
);
