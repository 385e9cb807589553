/**
 * Scaling with a 200 ms objective: the same study (random sampler, N trials) on 1 worker slot and
 * on 8 slots in several `shoal worker` processes, one coordinator (`runCoordinator` in this
 * process). The objective blocks its thread with Atomics.wait for 200 ms (bench/fixtures/
 * cluster-sleep.mjs): a thread per trial as for a CPU-bound objective, but no core used, so 8 of
 * them fit on 2 cores. Wall time from the coordinator's start to its return; speedup against
 * 1 slot. Target: speedup >= 7.
 *
 *   npx tsx bench/cluster-scaling.ts [--trials 80] [--sleep-ms 200] [--layouts 1x1,4x2,2x4]
 *                                    [--fsync everysec|always] [--coordinator patched/index.ts] [--worker-entry patched/entry.ts]
 */
import os from "node:os";
import { createLogger, RandomSampler, TrialState } from "@shoal/core";
import { objectiveIdOf } from "@shoal/redis";
import {
  fixture,
  flags as parseFlags,
  loadRunCoordinator,
  fmt,
  startBenchRedis,
  startShoalWorker,
  stopBenchRedis,
  stopChildren,
  table,
  type Child,
} from "./cluster-common.js";

const f = parseFlags();
const N = f.num("trials", 80);
const SLEEP_MS = f.num("sleep-ms", 200);
const LAYOUTS = f.pairs("layouts", "1x1,4x2,2x4", "x").map(([procs, concurrency]) => ({ procs, concurrency }));
const FSYNC = f.str("fsync", "everysec") as "always" | "everysec";
const OBJECTIVE = fixture("cluster-sleep.mjs");
const COORDINATOR = f.str("coordinator", "");
const WORKER_ENTRY = f.str("worker-entry", "");
const runCoordinator = await loadRunCoordinator(COORDINATOR);
const silent = createLogger({ level: "silent" });
const problems: string[] = [];

interface Result {
  procs: number;
  concurrency: number;
  slots: number;
  wall: number;
  /** First trial's start to last trial's end, from the workers' timestamps. */
  span: number;
  ok: string;
  busy: number;
}

async function runLayout(url: string, procs: number, concurrency: number): Promise<Result> {
  const prefix = `scale-${procs}x${concurrency}`;
  const workers: Child[] = [];
  try {
    await Promise.all(
      Array.from({ length: procs }, async (_, p) => {
        workers.push(
          await startShoalWorker({ redisUrl: url, prefix, objective: OBJECTIVE, concurrency, id: `scale-${procs}x${concurrency}-${p}`, env: { SHOAL_BENCH_SLEEP_MS: String(SLEEP_MS) }, ...(WORKER_ENTRY ? { entry: WORKER_ENTRY } : {}) }),
        );
      }),
    );
    // Workers announce themselves every second; let the first announcements land.
    await new Promise((r) => setTimeout(r, 1100));
    const t0 = performance.now();
    const study = await runCoordinator({
      redisUrl: url,
      prefix,
      studyName: "sleep",
      trialBudget: N,
      sampler: new RandomSampler({ seed: 0 }),
      objectiveId: await objectiveIdOf(OBJECTIVE),
      logger: silent,
    });
    const wall = (performance.now() - t0) / 1000;
    const trials = study.getTrials();
    const complete = trials.filter((t) => t.state === TrialState.COMPLETE);
    const starts = complete.map((t) => t.datetimeStart?.getTime() ?? Number.NaN);
    const ends = complete.map((t) => t.datetimeComplete?.getTime() ?? Number.NaN);
    const span = (Math.max(...ends) - Math.min(...starts)) / 1000;
    const busy = complete.reduce((s, t) => s + ((t.datetimeComplete?.getTime() ?? 0) - (t.datetimeStart?.getTime() ?? 0)), 0) / 1000;
    const numbers = new Set(trials.map((t) => t.number));
    const ok = trials.length === N && complete.length === N && numbers.size === N ? "yes" : `NO (${trials.length} trials, ${complete.length} complete)`;
    for (const t of trials.filter((t) => t.state !== TrialState.COMPLETE)) {
      problems.push(`${procs} x ${concurrency}: trial ${t.number} ${t.state}: ${String(t.systemAttrs.failReason ?? "")}`);
    }
    process.stderr.write(`  ${procs} x ${concurrency}: ${fmt(wall, 2)} s\n`);
    return { procs, concurrency, slots: procs * concurrency, wall, span, ok, busy };
  } finally {
    await stopChildren(workers);
  }
}

async function main(): Promise<void> {
  const redis = await startBenchRedis(FSYNC);
  const results: Result[] = [];
  try {
    for (const l of LAYOUTS) results.push(await runLayout(redis.url, l.procs, l.concurrency));
  } finally {
    await stopBenchRedis();
  }
  const base = results.find((r) => r.slots === 1);
  console.log(
    `Cluster scaling: ${N} trials of a ${SLEEP_MS} ms objective (Atomics.wait in the trial's thread), random sampler, ` +
      `one coordinator${COORDINATOR ? ` (from ${COORDINATOR})` : ""}${WORKER_ENTRY ? `, workers from ${WORKER_ENTRY}` : ""}; Node ${process.version}, ${os.cpus().length} cores, Redis appendfsync ${FSYNC}`,
  );
  console.log(`Ideal: ${fmt((N * SLEEP_MS) / 1000, 2)} s on 1 slot, ${fmt((N * SLEEP_MS) / 8000, 2)} s on 8.`);
  console.log("");
  console.log(
    table([
      ["worker processes x slots", "slots", "wall s", "first start..last end s", "mean trial s (in worker)", "speedup (wall)", "speedup (span)", "efficiency", "all trials ok"],
      ...results.map((r) => [
        `${r.procs} x ${r.concurrency}`,
        r.slots,
        fmt(r.wall, 2),
        fmt(r.span, 2),
        fmt(r.busy / N, 3),
        base ? `${fmt(base.wall / r.wall, 2)}x` : "-",
        base ? `${fmt(base.span / r.span, 2)}x` : "-",
        base ? `${fmt((100 * base.wall) / r.wall / r.slots, 0)}%` : "-",
        r.ok,
      ]),
    ]),
  );
  console.log("");
  for (const r of results.filter((r) => r.slots === 8 && base)) {
    const s = (base as Result).wall / r.wall;
    console.log(`${r.procs} x ${r.concurrency}: speedup ${fmt(s, 2)}x against 1 slot (target >= 7): ${s >= 7 ? "MET" : "NOT MET"}`);
  }
  if (problems.length > 0) console.log(`\nTrials not COMPLETE:\n  ${problems.join("\n  ")}`);
}

await main();
process.exit(0);
