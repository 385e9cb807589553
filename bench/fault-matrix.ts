/**
 * The fault matrix: one study per fault, run by real `shoal optimize --redis` and `shoal worker`
 * processes against a redis-server of the benchmark's own, and what came of it: the budget, the
 * trials by final state, trials lost (budget minus finished trials), trials whose objective
 * finished more than once (from a ledger the objective appends to), and the recovery time
 * (seconds from the end of the fault to the next trial the study records). Each case gets a
 * redis-server of its own (AOF, fsync always, or none where the case is Redis losing its data).
 * The journal cases run embedded `shoal optimize --storage` processes and read the journal file.
 *
 *   npx tsx bench/fault-matrix.ts [--cases baseline,worker-kill,...] [--budget 40] [--sleep-ms 100]
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger, TrialState, type FrozenTrial } from "@shoal/core";
import { JournalFileStorage } from "@shoal/journal";
import { readStudyForWatching, DEFAULT_QUEUE, ShoalKeys } from "@shoal/redis";
import type { TestRedis } from "@shoal/testing";
// Short lock and stall intervals, so that a dead worker's trial comes back in a few seconds.
import { FAST_STALLS } from "@shoal/testing/cluster";
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

/** Counts a finished study's trials and its ledger into a row of the matrix. */
async function countRow(
  name: string, trials: readonly FrozenTrial[], ledger: string, exit: number | null | undefined, recovery: number | null, note: string,
): Promise<Row> {
  const count = (s: TrialState) => trials.filter((t) => t.state === s).length;
  const finished = count(TrialState.COMPLETE) + count(TrialState.PRUNED) + count(TrialState.FAIL);
  const runs = new Map<number, number>();
  const text = await readFile(ledger, "utf8").catch(() => "");
  for (const line of text.split("\n").filter(Boolean)) runs.set(Number(line), (runs.get(Number(line)) ?? 0) + 1);
  const exitNote = exit === 0 || exit === undefined ? "" : `exit ${String(exit)}`;
  return {
    name, budget: BUDGET,
    complete: count(TrialState.COMPLETE), failed: count(TrialState.FAIL), pruned: count(TrialState.PRUNED),
    lost: BUDGET - finished,
    doubleRun: [...runs.values()].filter((n) => n > 1).length,
    recovery, note: [note, exitNote].filter(Boolean).join("; "),
  };
}

const finishedStates = new Set<TrialState>([TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL]);

/** One study under fault on the cluster: its processes, its ledger, and how to read where it stands. */
class FaultRun {
  readonly study = "faults";
  readonly prefix = "faults";
  readonly keys = new ShoalKeys(this.prefix);
  readonly workers: Child[] = [];
  coordinator: Child | null = null;
  readonly admin: Redis;

  constructor(
    readonly redis: TestRedis,
    readonly ledger: string,
    readonly env: NodeJS.ProcessEnv,
  ) {
    this.admin = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    this.admin.on("error", () => undefined);
  }

  async startWorker(id: string, extra: readonly string[] = FAST_STALLS): Promise<Child> {
    const w = await startShoalWorker({
      redisUrl: this.redis.url, prefix: this.prefix, objective: OBJECTIVE, concurrency: 2, id, extra,
      env: { SHOAL_BENCH_SLEEP_MS: String(SLEEP_MS), SHOAL_BENCH_LEDGER: this.ledger, ...this.env },
    });
    this.workers.push(w);
    return w;
  }

  /** Two workers (w1, w2) and the coordinator: how most cases begin. */
  async startStudy(workerArgs: readonly string[] = FAST_STALLS): Promise<Child> {
    await this.startWorker("w1", workerArgs);
    await this.startWorker("w2", workerArgs);
    return this.startCoordinator();
  }

  startCoordinator(extra: string[] = []): Child {
    this.coordinator = spawnChild(process.execPath, [
      SHOAL_BIN, "optimize", OBJECTIVE, "--redis", this.redis.url, "--prefix", this.prefix, "--study", this.study,
      "--trials", String(BUDGET), "--sampler", "random", "--seed", "1", "--log-format", "json", "--no-progress", ...extra,
    ], this.env);
    return this.coordinator;
  }

  /** The study's trials as Redis holds them; [] while Redis cannot answer or holds no study. */
  async trials(): Promise<FrozenTrial[]> {
    try {
      return (await readStudyForWatching(this.admin, this.keys, this.study, DEFAULT_QUEUE))?.trials ?? [];
    } catch {
      return [];
    }
  }

  async finishedCount(): Promise<number> {
    return (await this.trials()).filter((t) => finishedStates.has(t.state)).length;
  }

  /** Waits until more than `n - 1` trials finished. */
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
      const finished = new Set((await this.trials()).filter((t) => finishedStates.has(t.state)).map((t) => t.number));
      if (numbers.every((n) => finished.has(n))) return (performance.now() - t0) / 1000;
      if (Date.now() > deadline) throw new Error(`timed out waiting for trials ${numbers.join(", ")} to finish`);
      await sleep(50);
    }
  }

  /**
   * Seconds from now until the study records more trials than `before` (default: as many as it
   * has now), so a study that Redis lost counts as recovered only once it is back and growing.
   */
  async recovery(before?: number, timeoutMs = 120_000): Promise<number> {
    const t0 = performance.now();
    const base = before ?? (await this.finishedCount());
    await this.untilFinished(base + 1, timeoutMs);
    return (performance.now() - t0) / 1000;
  }

  /** Pushes a job as another client might, laid out as BullMQ lays out a waiting job. */
  async pushRawJob(jobId: string, data: string): Promise<void> {
    const queueKey = (name: string) => `${this.prefix}:${DEFAULT_QUEUE}:${name}`;
    await this.admin
      .multi()
      .hset(this.keys.job(DEFAULT_QUEUE, jobId), { name: "trial", data, opts: JSON.stringify({ attempts: 3 }), timestamp: Date.now(), delay: 0, priority: 0 })
      .lpush(queueKey("wait"), jobId)
      .zadd(queueKey("marker"), 0, "0")
      .exec();
  }

  /**
   * How a hand-pushed job ended, once the study is over: failed after how many attempts, or not
   * failed within 10 s. The workers are still up, so a job put back would have been taken again.
   */
  async jobFate(jobId: string): Promise<string> {
    await this.coordinator?.exited;
    const deadline = Date.now() + 10_000;
    while ((await this.admin.zscore(`${this.prefix}:${DEFAULT_QUEUE}:failed`, jobId)) === null) {
      if (Date.now() > deadline) return `job ${jobId} NOT failed within 10 s`;
      await sleep(100);
    }
    // Several stalled-job checks later (every second here), it must still have one attempt.
    await sleep(3000);
    const attempts = await this.admin.hget(this.keys.job(DEFAULT_QUEUE, jobId), "atm");
    return `job ${jobId} failed after ${attempts ?? "?"} attempt(s), not retried`;
  }

  /** Waits for the coordinator to exit, then counts. */
  async result(name: string, recovery: number | null, note = ""): Promise<Row> {
    const code = await this.coordinator?.exited;
    return countRow(name, await this.trials(), this.ledger, code, recovery, note);
  }

  async close(): Promise<void> {
    await stopChildren([...this.workers, ...(this.coordinator ? [this.coordinator] : [])]);
    this.admin.disconnect();
  }
}

/** One embedded study kept in a journal file, run by `shoal optimize --storage` processes. */
class JournalRun {
  readonly study = "faults";
  readonly journal: string;
  readonly processes: Child[] = [];
  private readonly silent = createLogger({ level: "silent" });

  constructor(readonly dir: string, readonly ledger: string) {
    this.journal = path.join(dir, "study.jsonl");
  }

  start(trials: number, seed: number): Child {
    const child = spawnChild(process.execPath, [
      SHOAL_BIN, "optimize", OBJECTIVE, "--storage", this.journal, "--study", this.study, "--trials", String(trials),
      "--jobs", "2", "--sampler", "random", "--seed", String(seed), "--log-format", "json", "--no-progress",
    ], { SHOAL_BENCH_SLEEP_MS: String(SLEEP_MS), SHOAL_BENCH_LEDGER: this.ledger });
    this.processes.push(child);
    return child;
  }

  /** The study's trials as the journal holds them now (read-only, as another process would). */
  trials(): FrozenTrial[] {
    try {
      const storage = JournalFileStorage.open(this.journal, { readOnly: true, logger: this.silent });
      try {
        return [...storage.getAllTrials(storage.getStudyIdFromName(this.study))];
      } finally {
        storage.close();
      }
    } catch {
      return []; // no file or no study yet
    }
  }

  count(states: ReadonlySet<TrialState>): number {
    return this.trials().filter((t) => states.has(t.state)).length;
  }

  async until(what: string, ok: () => boolean, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }

  async result(name: string, recovery: number | null, note = ""): Promise<Row> {
    const codes = await Promise.all(this.processes.map((p) => p.exited));
    const last = codes.at(-1);
    return countRow(name, this.trials(), this.ledger, last, recovery, note);
  }

  async close(): Promise<void> {
    await stopChildren(this.processes);
  }
}

const COMPLETE_ONLY = new Set([TrialState.COMPLETE]);

interface ClusterCase {
  kind: "cluster";
  /** The case's redis-server: AOF with fsync always (default) or no persistence at all. */
  persistence?: "aof" | "none";
  /** A password the server requires (its URL carries it). */
  password?: string;
  run(run: FaultRun): Promise<Row>;
}
interface JournalCase {
  kind: "journal";
  run(run: JournalRun): Promise<Row>;
}

const CASES: Record<string, ClusterCase | JournalCase> = {
  baseline: {
    kind: "cluster",
    async run(run) {
      await run.startStudy();
      return run.result("none (baseline)", null);
    },
  },

  "worker-kill": {
    kind: "cluster",
    async run(run) {
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
  },

  "coordinator-restart": {
    kind: "cluster",
    async run(run) {
      await run.startWorker("w1");
      await run.startWorker("w2");
      const first = run.startCoordinator();
      await run.untilFinished(BUDGET / 4);
      first.proc.kill("SIGKILL");
      await first.exited;
      run.startCoordinator(["--lease-wait", "15"]);
      return run.result("coordinator SIGKILL, restarted", await run.recovery(), "waits out the dead one's 10 s lease");
    },
  },

  "redis-restart": {
    kind: "cluster",
    async run(run) {
      await run.startStudy();
      await run.untilFinished(BUDGET / 4);
      await run.redis.restart(1000);
      return run.result("Redis restarted (AOF)", await run.recovery(), "down 1 s");
    },
  },

  "redis-down-20s": {
    kind: "cluster",
    async run(run) {
      await run.startStudy([]);
      await run.untilFinished(BUDGET / 4);
      await run.redis.restart(20_000);
      return run.result("Redis down 20 s", await run.recovery(), "longer than the 5 s lock (defaults): running trials run again, recorded once");
    },
  },

  "redis-empty": {
    kind: "cluster",
    persistence: "none",
    async run(run) {
      await run.startStudy();
      const before = await run.untilFinished(BUDGET / 4);
      await run.redis.restart(1000);
      return run.result("Redis restarted empty (no persistence)", await run.recovery(before), "down 1 s; the coordinator writes the study back");
    },
  },

  flushall: {
    kind: "cluster",
    async run(run) {
      await run.startStudy();
      const before = await run.untilFinished(BUDGET / 4);
      await run.admin.flushall();
      return run.result("FLUSHALL mid-study", await run.recovery(before), "the coordinator writes the study back");
    },
  },

  "wrong-password": {
    kind: "cluster",
    password: "s3cret-pw",
    async run(run) {
      await run.startStudy();
      // A third worker with a wrong password: it must stop at once with one line, touching nothing.
      const wrongUrl = run.redis.url.replace("s3cret-pw", "not-the-password");
      const intruder = spawnChild(process.execPath, [SHOAL_BIN, "worker", OBJECTIVE, "--redis", wrongUrl, "--prefix", run.prefix, "--id", "intruder"], run.env);
      const code = await intruder.exited;
      const lines = intruder.output().trim().split("\n");
      const leaked = intruder.output().includes("not-the-password");
      return run.result("a worker with a wrong password", null, `it exited ${String(code)} with ${lines.length} line(s)${leaked ? ", PASSWORD SHOWN" : ", password masked"}`);
    },
  },

  "poison-job": {
    kind: "cluster",
    async run(run) {
      await run.startStudy();
      await run.untilFinished(BUDGET / 4);
      await run.pushRawJob("poison.0", "{not json");
      const fate = await run.jobFate("poison.0");
      return run.result("a job whose data is not JSON", null, fate);
    },
  },

  "malformed-job": {
    kind: "cluster",
    async run(run) {
      await run.startStudy();
      await run.untilFinished(BUDGET / 4);
      await run.pushRawJob("malformed.0", JSON.stringify({ v: 1, study: run.study, number: "seven", params: 42 }));
      const fate = await run.jobFate("malformed.0");
      return run.result("a job with malformed fields", null, fate);
    },
  },

  "bad-objectives": {
    kind: "cluster",
    async run(run) {
      run.env.SHOAL_BENCH_THROW = "3";
      run.env.SHOAL_BENCH_NAN = "5";
      run.env.SHOAL_BENCH_HANG = "7";
      run.env.SHOAL_BENCH_EXIT = "9";
      await run.startStudy([...FAST_STALLS, "--trial-timeout", "2"]);
      return run.result("objectives that throw, NaN, hang, exit", null, "4 trials FAIL by design, the rest complete");
    },
  },

  "objective-oom": {
    kind: "cluster",
    async run(run) {
      run.env.SHOAL_BENCH_OOM = "4";
      await run.startStudy();
      // Under the default --trial-memory (1024 MB), as a user gets it.
      return run.result("an objective exhausting memory", null, "1 trial FAILs by design (default --trial-memory), the rest complete");
    },
  },

  "journal-kill": {
    kind: "journal",
    async run(run) {
      const first = run.start(BUDGET, 1);
      await run.until(`${BUDGET / 4} trials in the journal`, () => run.count(COMPLETE_ONLY) >= BUDGET / 4);
      first.proc.kill("SIGKILL");
      await first.exited;
      const killedAt = performance.now();
      const held = run.trials();
      const running = held.filter((t) => t.state === TrialState.RUNNING).length;
      const complete = run.count(COMPLETE_ONLY);
      // --trials counts this run's trials: the resumed run brings the study to its budget.
      run.start(BUDGET - held.length, 2);
      await run.until("the resumed run's first trial", () => run.count(COMPLETE_ONLY) > complete);
      const recovery = (performance.now() - killedAt) / 1000;
      return run.result("embedded --storage SIGKILLed, resumed", recovery, `its ${running} running trial(s) recorded FAIL; recovery includes the new process's start`);
    },
  },

  "journal-shared": {
    kind: "journal",
    async run(run) {
      run.start(BUDGET / 2, 1);
      run.start(BUDGET / 2, 2);
      return run.result("two processes sharing one journal", null, "2 jobs each");
    },
  },
};

const selected = f.str("cases", Object.keys(CASES).join(",")).split(",").map((s) => s.trim());
const rows: Row[] = [];
for (const name of selected) {
  const spec = CASES[name];
  if (!spec) throw new Error(`no case "${name}"; the cases are: ${Object.keys(CASES).join(", ")}`);
  const dir = await mkdtemp(path.join(tmpdir(), "shoal-faults-"));
  const ledger = path.join(dir, "ledger");
  const t0 = performance.now();
  let close = async (): Promise<void> => undefined;
  try {
    if (spec.kind === "cluster") {
      const redis = await startBenchRedis("always", { persistence: spec.persistence ?? "aof", ...(spec.password ? { password: spec.password } : {}) });
      const run = new FaultRun(redis, ledger, {});
      close = async () => {
        await run.close();
        await stopBenchRedis();
      };
      rows.push(await spec.run(run));
    } else {
      const run = new JournalRun(dir, ledger);
      close = () => run.close();
      rows.push(await spec.run(run));
    }
  } catch (error) {
    rows.push({ name, budget: BUDGET, complete: 0, failed: 0, pruned: 0, lost: BUDGET, doubleRun: 0, recovery: null, note: `ERROR ${(error as Error).message}` });
  } finally {
    await close();
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${name}: done in ${fmt((performance.now() - t0) / 1000)} s\n`);
}

console.log(`\nFault matrix: ${BUDGET}-trial studies of a ${SLEEP_MS} ms objective, 2 workers x 2 slots (journal: 2 jobs per process), random sampler`);
console.log(
  table([
    ["case", "budget", "complete", "failed", "pruned", "lost", "double-run", "recovery s", "note"],
    ...rows.map((r) => [r.name, r.budget, r.complete, r.failed, r.pruned, r.lost, r.doubleRun, r.recovery === null ? "-" : fmt(r.recovery), r.note]),
  ]),
);
