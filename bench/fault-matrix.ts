/**
 * The fault matrix: one study per fault, run by real `shoal optimize --redis` and `shoal worker`
 * processes against a redis-server of the benchmark's own, and what came of it: the budget, the
 * trials by final state, trials lost (budget minus finished trials), trials whose objective
 * finished more than once (from a ledger the objective appends to), and the recovery time
 * (seconds from the end of the fault to the next trial the study records).
 *
 *   npx tsx bench/fault-matrix.ts [--cases baseline,worker-kill,...] [--budget 40] [--sleep-ms 100]
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { TrialState, type FrozenTrial } from "@shoal/core";
import { readStudyForWatching, DEFAULT_QUEUE, ShoalKeys } from "@shoal/redis";
import type { TestRedis } from "@shoal/testing";
import { Redis } from "ioredis";
import {
  fixture,
  flags as parseFlags,
  fmt,
  SHOAL_BIN,
  sleep,
  spawnChild,
  startBenchRedis,
  startShoalWorker,
  stopBenchRedis,
  stopChildren,
  table,
  type Child,
} from "./cluster-common.js";

const f = parseFlags();
const BUDGET = f.num("budget", 40);
const SLEEP_MS = f.num("sleep-ms", 100);
const OBJECTIVE = fixture("fault-ledger.mjs");
/** Short lock and stall intervals, so that a dead worker's trial comes back in a few seconds. */
const FAST_STALLS = ["--lock-duration", "2000", "--stalled-interval", "1000"];

interface Row {
  name: string;
  budget: number;
  complete: number;
  failed: number;
  pruned: number;
  lost: number;
  doubleRun: number;
  /** Seconds from the fault's end to the next recorded trial; null where it does not apply. */
  recovery: number | null;
  note: string;
}

/** One study under fault: its processes, its ledger, and how to read where it stands. */
class FaultRun {
  readonly study = "faults";
  readonly keys: ShoalKeys;
  readonly workers: Child[] = [];
  coordinator: Child | null = null;
  private readonly admin: Redis;

  constructor(
    readonly redis: TestRedis,
    readonly prefix: string,
    readonly ledger: string,
    readonly env: NodeJS.ProcessEnv,
  ) {
    this.keys = new ShoalKeys(prefix);
    this.admin = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    this.admin.on("error", () => undefined);
  }

  async startWorker(id: string, extra: string[] = FAST_STALLS): Promise<Child> {
    const w = await startShoalWorker({
      redisUrl: this.redis.url, prefix: this.prefix, objective: OBJECTIVE, concurrency: 2, id, extra,
      env: { SHOAL_BENCH_SLEEP_MS: String(SLEEP_MS), SHOAL_BENCH_LEDGER: this.ledger, ...this.env },
    });
    this.workers.push(w);
    return w;
  }

  startCoordinator(extra: string[] = []): Child {
    this.coordinator = spawnChild(process.execPath, [
      SHOAL_BIN, "optimize", OBJECTIVE, "--redis", this.redis.url, "--prefix", this.prefix, "--study", this.study,
      "--trials", String(BUDGET), "--sampler", "random", "--seed", "1", "--log-format", "json", "--no-progress", ...extra,
    ], this.env);
    return this.coordinator;
  }

  /** The study's trials as Redis holds them; [] while Redis cannot answer. */
  async trials(): Promise<FrozenTrial[]> {
    try {
      return (await readStudyForWatching(this.admin, this.keys, this.study, DEFAULT_QUEUE))?.trials ?? [];
    } catch {
      return [];
    }
  }

  async finishedCount(): Promise<number> {
    return (await this.trials()).filter((t) => t.state === TrialState.COMPLETE || t.state === TrialState.PRUNED || t.state === TrialState.FAIL).length;
  }

  /** Waits until at least `n` trials finished. */
  async untilFinished(n: number, timeoutMs = 120_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = await this.finishedCount();
      if (done >= n) return done;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} finished trials (${done} so far)`);
      await sleep(50);
    }
  }

  /** The numbers of the RUNNING trials that worker `id` runs now. */
  async runningOn(id: string): Promise<number[]> {
    return (await this.trials()).filter((t) => t.state === TrialState.RUNNING && t.systemAttrs.worker === id).map((t) => t.number);
  }

  /** Seconds from now until every trial of `numbers` finished. */
  async untilAllFinished(numbers: readonly number[], timeoutMs = 120_000): Promise<number> {
    const t0 = performance.now();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const finished = new Set((await this.trials()).filter((t) => t.state !== TrialState.RUNNING && t.state !== TrialState.WAITING).map((t) => t.number));
      if (numbers.every((n) => finished.has(n))) return (performance.now() - t0) / 1000;
      if (Date.now() > deadline) throw new Error(`timed out waiting for trials ${numbers.join(", ")} to finish`);
      await sleep(50);
    }
  }

  /** Seconds from now until the study records one more trial than it had now. */
  async recovery(timeoutMs = 120_000): Promise<number> {
    const t0 = performance.now();
    const base = await this.finishedCount();
    await this.untilFinished(base + 1, timeoutMs);
    return (performance.now() - t0) / 1000;
  }

  /** Waits for the coordinator to exit, then counts. */
  async result(name: string, recovery: number | null, note = ""): Promise<Row> {
    const code = await this.coordinator?.exited;
    const trials = await this.trials();
    const count = (s: TrialState) => trials.filter((t) => t.state === s).length;
    const finished = count(TrialState.COMPLETE) + count(TrialState.PRUNED) + count(TrialState.FAIL);
    const runs = new Map<number, number>();
    const text = await readFile(this.ledger, "utf8").catch(() => "");
    for (const line of text.split("\n").filter(Boolean)) runs.set(Number(line), (runs.get(Number(line)) ?? 0) + 1);
    const exitNote = code === 0 ? "" : `coordinator exit ${String(code)}`;
    return {
      name, budget: BUDGET,
      complete: count(TrialState.COMPLETE), failed: count(TrialState.FAIL), pruned: count(TrialState.PRUNED),
      lost: BUDGET - finished,
      doubleRun: [...runs.values()].filter((n) => n > 1).length,
      recovery, note: [note, exitNote].filter(Boolean).join("; "),
    };
  }

  async close(): Promise<void> {
    await stopChildren([...this.workers, ...(this.coordinator ? [this.coordinator] : [])]);
    this.admin.disconnect();
  }
}

type Case = (run: FaultRun) => Promise<Row>;

const CASES: Record<string, Case> = {
  async baseline(run) {
    await run.startWorker("w1");
    await run.startWorker("w2");
    run.startCoordinator();
    return run.result("none (baseline)", null);
  },

  async "worker-kill"(run) {
    const victim = await run.startWorker("victim");
    await run.startWorker("survivor");
    run.startCoordinator();
    await run.untilFinished(BUDGET / 4);
    let held: number[] = [];
    while (held.length === 0) held = await run.runningOn("victim");
    victim.proc.kill("SIGKILL");
    const recovered = await run.untilAllFinished(held);
    return run.result("worker SIGKILL mid-trial", recovered, `until its ${held.length} trial(s) finished elsewhere; lock 2 s, stalled check 1 s`);
  },

  async "coordinator-restart"(run) {
    await run.startWorker("w1");
    await run.startWorker("w2");
    const first = run.startCoordinator();
    await run.untilFinished(BUDGET / 4);
    first.proc.kill("SIGKILL");
    await first.exited;
    run.startCoordinator(["--lease-wait", "15"]);
    return run.result("coordinator SIGKILL, restarted", await run.recovery(), "waits out the dead one's 10 s lease");
  },

  async "redis-restart"(run) {
    await run.startWorker("w1");
    await run.startWorker("w2");
    run.startCoordinator();
    await run.untilFinished(BUDGET / 4);
    await run.redis.restart(1000);
    return run.result("Redis restarted (AOF)", await run.recovery(), "down 1 s");
  },

  async "redis-down-20s"(run) {
    await run.startWorker("w1", []);
    await run.startWorker("w2", []);
    run.startCoordinator();
    await run.untilFinished(BUDGET / 4);
    await run.redis.restart(20_000);
    return run.result("Redis down 20 s", await run.recovery(), "longer than the 5 s lock (defaults)");
  },

  async "bad-objectives"(run) {
    run.env.SHOAL_BENCH_THROW = "3";
    run.env.SHOAL_BENCH_NAN = "5";
    run.env.SHOAL_BENCH_HANG = "7";
    run.env.SHOAL_BENCH_EXIT = "9";
    await run.startWorker("w1", [...FAST_STALLS, "--trial-timeout", "2"]);
    await run.startWorker("w2", [...FAST_STALLS, "--trial-timeout", "2"]);
    run.startCoordinator();
    return run.result("objectives that throw, NaN, hang, exit", null, "4 trials FAIL by design, the rest complete");
  },
};

const selected = f.str("cases", Object.keys(CASES).join(",")).split(",").map((s) => s.trim());
const rows: Row[] = [];
const redis = await startBenchRedis("always");
try {
  for (const [i, name] of selected.entries()) {
    const run = CASES[name];
    if (!run) throw new Error(`no case "${name}"; the cases are: ${Object.keys(CASES).join(", ")}`);
    const dir = await mkdtemp(path.join(tmpdir(), "shoal-faults-"));
    const fault = new FaultRun(redis, `faults${i}`, path.join(dir, "ledger"), {});
    const t0 = performance.now();
    try {
      rows.push(await run(fault));
    } catch (error) {
      rows.push({ name, budget: BUDGET, complete: 0, failed: 0, pruned: 0, lost: BUDGET, doubleRun: 0, recovery: null, note: `ERROR ${(error as Error).message}` });
    } finally {
      await fault.close();
      await rm(dir, { recursive: true, force: true });
    }
    process.stdout.write(`${name}: done in ${fmt((performance.now() - t0) / 1000)} s\n`);
  }
} finally {
  await stopBenchRedis();
}

console.log(`\nFault matrix: ${BUDGET}-trial studies of a ${SLEEP_MS} ms objective, 2 workers x 2 slots, random sampler`);
console.log(
  table([
    ["case", "budget", "complete", "failed", "pruned", "lost", "double-run", "recovery s", "note"],
    ...rows.map((r) => [r.name, r.budget, r.complete, r.failed, r.pruned, r.lost, r.doubleRun, r.recovery === null ? "-" : fmt(r.recovery), r.note]),
  ]),
);
