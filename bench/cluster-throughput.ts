/**
 * Cluster throughput with a free objective: trials per second of one coordinator (in this
 * process, `runCoordinator`) against 1, 2 and 4 `shoal worker` processes, random and TPE
 * samplers, beside BullMQ's bare job throughput measured in the same run on the same Redis
 * (Queue.addBulk of N no-op jobs, plain BullMQ Workers with the same concurrency, jobs/s from the
 * first add to the last completion; in this process and in 1/2/4 processes).
 * Target: Shoal >= 1/3 of the bare rate with the random sampler.
 *
 *   npx tsx bench/cluster-throughput.ts [--trials 5000] [--bare-jobs 5000] [--warmup 5000] [--concurrency 2]
 *                                      [--procs 1,2,4] [--samplers random,tpe] [--fsync everysec,always]
 *                                      [--commandstats] [--coordinator patched/index.ts] [--worker-entry patched/entry.ts]
 *                                      [--reconcile-ms MS] [--no-bare] [--profile-workers DIR [--worker-import M]]
 *                                      [--worker-args="--prefetch 0"]
 *
 * Redis is `startTestRedis({ own: true })` (AOF on), run twice: switched with CONFIG SET to
 * appendfsync everysec, Redis's default and the usual production setting (bare BullMQ then runs
 * 4,500-7,500 jobs/s here), and with the test server's fsync on every write (appendfsync always:
 * bare BullMQ near the issue's "about 3,000 jobs/s on these 2-core machines"). The second setting
 * runs random search only, the sampler the target is for.
 * --coordinator / --worker-entry run a patched copy of the coordinator / `shoal worker` instead of
 * the shipped one, to measure a proposed fix in the same benchmark.
 */
import os from "node:os";
import { createLogger, RandomSampler, TPESampler, TrialState, type Sampler } from "@shoal/core";
import { objectiveIdOf } from "@shoal/redis";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import {
  fixture,
  flags as parseFlags,
  loadRunCoordinator,
  fmt,
  spawnChild,
  startBenchRedis,
  startShoalWorker,
  stopBenchRedis,
  stopChildren,
  table,
  type Child,
} from "./cluster-common.js";

const f = parseFlags();
const N_TRIALS = f.num("trials", 5000);
const N_BARE = f.num("bare-jobs", 5000);
const WARMUP = f.num("warmup", 5000);
const CONCURRENCY = f.num("concurrency", 2);
const PROCS = f.str("procs", "1,2,4").split(",").map(Number);
const SAMPLERS = f.str("samplers", "random,tpe").split(",");
// Each setting gets its own redis-server and its own bare runs; after the first, random search only.
const FSYNCS = f.str("fsync", "everysec,always").split(",") as Array<"always" | "everysec">;
const COMMANDSTATS = f.has("commandstats");
const NO_BARE = f.has("no-bare");
// --profile-workers DIR: each worker process writes a V8 CPU profile there.
const WORKER_NODE_ARGS = f.has("profile-workers") ? ["--cpu-prof", `--cpu-prof-dir=${f.str("profile-workers", "/tmp")}`, ...(f.has("worker-import") ? ["--import", f.str("worker-import", "")] : [])] : [];
// --coordinator PATH: a module exporting runCoordinator (a patched copy) to compare with the shipped one.
const COORDINATOR = f.str("coordinator", "");
const runCoordinator = await loadRunCoordinator(COORDINATOR);
// --worker-entry PATH: a patched stand-in for `shoal worker` (same flags), to measure a fix.
const WORKER_ENTRY = f.str("worker-entry", "");
// --worker-args "...": more `shoal worker` flags (e.g. "--prefetch 0"), to compare settings.
const WORKER_ARGS = f.str("worker-args", "").split(" ").filter((a) => a !== "");
// --reconcile-ms MS: the coordinator's reconcileIntervalMs (default its own, 2000).
const RECONCILE_MS = f.has("reconcile-ms") ? f.num("reconcile-ms", 2000) : undefined;
const OBJECTIVE = fixture("cluster-free.mjs");
const BARE_WORKER = fixture("cluster-bare-worker.mjs");
const silent = createLogger({ level: "silent" });
const problems: string[] = [];
const workerExits = { exited: 0, killed: 0 };

const makeSampler = (name: string): Sampler => (name === "random" ? new RandomSampler({ seed: 0 }) : new TPESampler({ seed: 0 }));

/** CPU seconds (user + system) of a process, from /proc (Linux); NaN elsewhere. */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  try {
    const { readFile } = await import("node:fs/promises");
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return Number.NaN;
  }
}

async function redisCpu(admin: Redis): Promise<number> {
  const info = await admin.info("cpu");
  const get = (k: string) => Number(new RegExp(`^${k}:([\\d.]+)`, "m").exec(info)?.[1] ?? "NaN");
  return get("used_cpu_user") + get("used_cpu_sys");
}

async function commandStats(admin: Redis): Promise<Map<string, number>> {
  const info = await admin.info("commandstats");
  const out = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_(\S+):calls=(\d+)/gm)) out.set(m[1] as string, Number(m[2]));
  return out;
}

function diffStats(before: Map<string, number>, after: Map<string, number>, per: number): string {
  const rows = [...after]
    .map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / per] as const)
    .filter(([, v]) => v > 0.01)
    .sort((a, b) => b[1] - a[1]);
  return rows.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ");
}

/** Waits until `prefix:queue` has `n` completed jobs; returns the last one's finishedOn. */
async function waitCompleted(admin: Redis, prefix: string, queue: string, n: number, timeoutMs = 120_000): Promise<number> {
  const key = `${prefix}:${queue}:completed`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await admin.zcard(key);
    if (count >= n) break;
    if (Date.now() > deadline) throw new Error(`only ${count} of ${n} bare jobs completed within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const last = await admin.zrange(key, -1, -1, "WITHSCORES");
  return Number(last[1]);
}

async function addAll(queue: Queue, n: number): Promise<void> {
  const chunk = 1000;
  for (let i = 0; i < n; i += chunk) {
    await queue.addBulk(Array.from({ length: Math.min(chunk, n - i) }, (_, j) => ({ name: "noop", data: { i: i + j } })));
  }
}

/** BullMQ alone: N no-op jobs through plain Workers in `procs` processes (0: in this process). */
let bareRun = 0;
interface BareRun {
  rate: number;
  seconds: number;
  /** CPU ms per job: this process (producer, and the worker when in-process), worker processes, redis-server. */
  cpuMs: { producer: number; workers: number; redis: number };
}

async function bare(url: string, admin: Redis, procs: number): Promise<BareRun> {
  const prefix = `bare${procs}-${bareRun++}`;
  const queueName = "noop";
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection, prefix });
  const children: Child[] = [];
  let inProcess: Worker | null = null;
  let workerConnection: Redis | null = null;
  try {
    if (procs === 0) {
      workerConnection = new Redis(url, { maxRetriesPerRequest: null });
      inProcess = new Worker(queueName, async () => null, { connection: workerConnection, prefix, concurrency: CONCURRENCY });
      await inProcess.waitUntilReady();
    } else {
      for (let p = 0; p < procs; p++) children.push(spawnChild(process.execPath, [BARE_WORKER, url, prefix, queueName, String(CONCURRENCY)]));
      await Promise.all(children.map((c) => c.waitFor(/ready/)));
    }
    await queue.waitUntilReady();
    // Warm-up, untimed, as for Shoal's workers: the same number of jobs through the same processes.
    if (WARMUP > 0) {
      await addAll(queue, WARMUP);
      await waitCompleted(admin, prefix, queueName, WARMUP);
    }
    const cpu0 = process.cpuUsage();
    const w0 = await Promise.all(children.map((c) => cpuSeconds(c.proc.pid)));
    const r0 = await redisCpu(admin);
    const t0 = Date.now();
    await addAll(queue, N_BARE);
    const end = await waitCompleted(admin, prefix, queueName, WARMUP + N_BARE);
    const seconds = (end - t0) / 1000;
    const cpu1 = process.cpuUsage(cpu0);
    const w1 = await Promise.all(children.map((c) => cpuSeconds(c.proc.pid)));
    const r1 = await redisCpu(admin);
    const cpuMs = {
      producer: ((cpu1.user + cpu1.system) / 1e3) / N_BARE,
      workers: (w1.reduce((s, v, i) => s + v - (w0[i] as number), 0) * 1000) / N_BARE,
      redis: ((r1 - r0) * 1000) / N_BARE,
    };
    // Leave no keys behind: the Shoal runs that follow must not scan past 5,000 bare jobs.
    await queue.obliterate({ force: true });
    return { rate: N_BARE / seconds, seconds, cpuMs };
  } finally {
    await inProcess?.close();
    workerConnection?.disconnect();
    await stopChildren(children);
    await queue.close();
    connection.disconnect();
  }
}

interface ShoalRun {
  sampler: string;
  procs: number;
  seconds: number;
  rate: number;
  steadyRate: number;
  ok: string;
  cpu: { coordinator: number; workers: number; redis: number };
  commands: string;
}

async function shoalRuns(url: string, admin: Redis, procs: number, samplers: readonly string[]): Promise<ShoalRun[]> {
  const prefix = `shoal${procs}`;
  const workers: Child[] = [];
  const out: ShoalRun[] = [];
  try {
    for (let p = 0; p < procs; p++) {
      workers.push(await startShoalWorker({ redisUrl: url, prefix, objective: OBJECTIVE, concurrency: CONCURRENCY, id: `bench-${procs}-${p}`, nodeArgs: WORKER_NODE_ARGS, extra: WORKER_ARGS, ...(WORKER_ENTRY ? { entry: WORKER_ENTRY } : {}) }));
    }
    const objectiveId = await objectiveIdOf(OBJECTIVE);
    // Warm-up, untimed, as the bare runs get one: the worker processes start cold, and V8 takes a
    // few thousand trials to optimize their hot paths (with 500, the rate measured a quarter lower).
    if (WARMUP > 0) {
      await runCoordinator({ redisUrl: url, prefix, studyName: `warmup-${procs}`, trialBudget: WARMUP, sampler: makeSampler("random"), objectiveId, logger: silent });
    }
    for (const sampler of samplers) {
      const cpu0 = process.cpuUsage();
      const w0 = await Promise.all(workers.map((w) => cpuSeconds(w.proc.pid)));
      const r0 = await redisCpu(admin);
      const s0 = COMMANDSTATS ? await commandStats(admin) : new Map<string, number>();
      const t0 = performance.now();
      const study = await runCoordinator({
        redisUrl: url,
        prefix,
        studyName: `${sampler}-${procs}`,
        trialBudget: N_TRIALS,
        sampler: makeSampler(sampler),
        objectiveId,
        logger: silent,
        ...(RECONCILE_MS === undefined ? {} : { reconcileIntervalMs: RECONCILE_MS }),
      });
      const seconds = (performance.now() - t0) / 1000;
      const cpu1 = process.cpuUsage(cpu0);
      const w1 = await Promise.all(workers.map((w) => cpuSeconds(w.proc.pid)));
      const r1 = await redisCpu(admin);
      const s1 = COMMANDSTATS ? await commandStats(admin) : new Map<string, number>();
      const trials = study.getTrials();
      const complete = trials.filter((t) => t.state === TrialState.COMPLETE).length;
      const numbers = new Set(trials.map((t) => t.number));
      const ok = trials.length === N_TRIALS && complete === N_TRIALS && numbers.size === N_TRIALS ? "yes" : `NO (${trials.length} trials, ${complete} complete)`;
      for (const t of trials.filter((t) => t.state !== TrialState.COMPLETE)) {
        problems.push(`${sampler} x ${procs}: trial ${t.number} ${t.state}: ${String(t.systemAttrs.failReason ?? "")}`);
      }
      // Steady rate: completions from the 10th to the 90th percentile of trials.
      const ends = trials.map((t) => t.datetimeComplete?.getTime() ?? Number.NaN).sort((a, b) => a - b);
      const lo = Math.floor(ends.length * 0.1);
      const hi = Math.floor(ends.length * 0.9);
      const steadyRate = ((hi - lo) / ((ends[hi] as number) - (ends[lo] as number))) * 1000;
      out.push({
        sampler,
        procs,
        seconds,
        rate: N_TRIALS / seconds,
        steadyRate,
        ok,
        cpu: {
          coordinator: (cpu1.user + cpu1.system) / 1e6,
          workers: w1.reduce((s, v, i) => s + v - (w0[i] as number), 0),
          redis: r1 - r0,
        },
        commands: COMMANDSTATS ? diffStats(s0, s1, N_TRIALS) : "",
      });
      process.stderr.write(`  shoal ${sampler} x ${procs} process(es): ${fmt(N_TRIALS / seconds)} trials/s\n`);
    }
  } finally {
    const stopped = await stopChildren(workers);
    workerExits.exited += stopped.exitedByThemselves;
    workerExits.killed += stopped.killed;
  }
  return out;
}

interface Setting {
  fsync: "always" | "everysec";
  bareRuns: Map<number, BareRun>;
  shoal: ShoalRun[];
}

async function measure(fsync: "always" | "everysec", samplers: readonly string[]): Promise<Setting> {
  const redis = await startBenchRedis(fsync);
  const admin = new Redis(redis.url);
  const bareRuns = new Map<number, BareRun>();
  const shoal: ShoalRun[] = [];
  try {
    process.stderr.write(`Redis ${redis.url} (appendfsync ${fsync}); ${os.cpus().length} cores\n`);
    // Warm-up: the first BullMQ run loads the Lua scripts and JIT.
    if (!NO_BARE) await bare(redis.url, admin, 0);
    for (const procs of NO_BARE ? [] : [0, ...PROCS]) {
      const r = await bare(redis.url, admin, procs);
      bareRuns.set(procs, r);
      process.stderr.write(`  bare BullMQ ${procs === 0 ? "in-process" : `x ${procs} process(es)`}: ${fmt(r.rate)} jobs/s\n`);
    }
    for (const procs of PROCS) shoal.push(...(await shoalRuns(redis.url, admin, procs, samplers)));
  } finally {
    admin.disconnect();
    await stopBenchRedis();
  }
  return { fsync, bareRuns, shoal };
}

async function main(): Promise<void> {
  const settings: Setting[] = [];
  for (const [i, fsync] of FSYNCS.entries()) settings.push(await measure(fsync, i === 0 ? SAMPLERS : SAMPLERS.filter((s) => s === "random")));
  for (const setting of settings) report(setting);
  console.log(
    `\nshoal worker processes after SIGTERM: ${workerExits.exited} exited by themselves, ${workerExits.killed} still alive after 3 s (SIGKILLed)`,
  );
  if (problems.length > 0) console.log(`\nTrials not COMPLETE:\n  ${problems.join("\n  ")}`);
}

function report({ fsync, bareRuns, shoal }: Setting): void {
  const header = `Cluster throughput, free objective: ${N_TRIALS} trials per run, ${CONCURRENCY} slots per worker process, ` +
    `bare BullMQ ${N_BARE} no-op jobs${COORDINATOR ? `; coordinator from ${COORDINATOR}` : ""}${WORKER_ENTRY ? `; workers from ${WORKER_ENTRY}` : ""}; Node ${process.version}, ${os.cpus().length} cores, Redis appendfsync ${fsync}`;
  console.log(`\n${header}`);
  console.log("");
  const bareRow = (label: string, r: BareRun | undefined) =>
    r ? [label, fmt(r.rate, 0), fmt(r.cpuMs.producer, 3), fmt(r.cpuMs.workers, 3), fmt(r.cpuMs.redis, 3)] : [label, "-", "-", "-", "-"];
  console.log(
    table([
      ["bare BullMQ (no-op jobs)", "jobs/s", "cpu ms/job this process", "cpu ms/job workers", "cpu ms/job redis"],
      bareRow(`in-process worker (concurrency ${CONCURRENCY})`, bareRuns.get(0)),
      ...PROCS.map((p) => bareRow(`${p} worker process(es) x ${CONCURRENCY}`, bareRuns.get(p))),
    ]),
  );
  console.log("");
  console.log(
    table([
      ["sampler", "processes", "slots", "seconds", "trials/s", "steady trials/s", "bare jobs/s", "shoal/bare", "all trials ok", "cpu ms/trial coord", "cpu ms/trial workers", "cpu ms/trial redis"],
      ...shoal.map((r) => {
        const b = bareRuns.get(r.procs)?.rate ?? Number.NaN;
        return [r.sampler, r.procs, r.procs * CONCURRENCY, fmt(r.seconds, 2), fmt(r.rate), fmt(r.steadyRate), fmt(b, 0), `${fmt(r.rate / b, 3)}`, r.ok, fmt((r.cpu.coordinator * 1000) / N_TRIALS, 3), fmt((r.cpu.workers * 1000) / N_TRIALS, 3), fmt((r.cpu.redis * 1000) / N_TRIALS, 3)];
      }),
    ]),
  );
  console.log("");
  const random = shoal.filter((r) => r.sampler === "random");
  for (const r of random) {
    const b = bareRuns.get(r.procs)?.rate ?? Number.NaN;
    const ratio = r.rate / b;
    console.log(`appendfsync ${fsync}, random, ${r.procs} process(es): Shoal ${fmt(r.rate)} trials/s = ${fmt(ratio * 100)}% of bare BullMQ (target >= 33.3%): ${ratio >= 1 / 3 ? "MET" : "NOT MET"}`);
  }
  if (COMMANDSTATS) {
    console.log("\nRedis commands per trial:");
    for (const r of shoal) console.log(`  ${r.sampler} x ${r.procs}: ${r.commands}`);
  }
}

await main();
process.exit(0);
