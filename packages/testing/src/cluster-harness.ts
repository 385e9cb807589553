/**
 * Multi-process cluster tests: real `shoal worker` and `shoal optimize --redis` processes against a
 * real Redis. `useCluster()` gives a test file one Redis server of its own (started in beforeAll,
 * stopped in afterAll) and each test a `Cluster` with a prefix no other test uses. Every process a
 * Cluster starts is killed after the test, and a test that leaves a process of its own behind fails.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { TrialState, type FrozenTrial } from "@shoal/core";
import { countRunningTrials, DEFAULT_QUEUE, readStudyForWatching, readStudyHash, ShoalKeys, type StudyHash } from "@shoal/redis";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { fixture, repoRoot } from "./paths.js";
import { startTestRedis, type TestRedis, type TestRedisOptions } from "./redis-server.js";
import { runShoal, shoalBin, type CliResult } from "./run-cli.js";
import { waitFor, WaitAborted } from "./wait-for.js";

/** Short lock and stall intervals, so that a dead worker's trial comes back in a few seconds. */
export const FAST_STALLS = ["--lock-duration", "2000", "--stalled-interval", "1000"] as const;

/** A `shoal` process started by a test, with its output collected. */
export class ShoalProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout = "";
  stderr = "";
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    args: readonly string[],
    env: Record<string, string> = {},
  ) {
    this.child = spawn(process.execPath, [shoalBin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, FORCE_COLOR: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (this.child.pid === undefined) throw new Error(`could not start ${name}`);
    this.pid = this.child.pid;
    this.child.stdout?.on("data", (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr?.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve({ code, signal });
      });
    });
  }

  get running(): boolean {
    return this.exitCode === null && this.exitSignal === null;
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  /** Waits until the output matches; fails early when the process exits first. */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return waitFor(`${this.name} to print ${pattern}`, () => {
      const m = pattern.exec(this.output);
      if (m) return m;
      if (!this.running) throw new WaitAborted(`${this.name} exited (${this.exitCode ?? this.exitSignal}) before printing ${pattern}`);
      return null;
    }, { timeoutMs, context: () => this.describe() });
  }

  /** Waits for the process to exit on its own. */
  async waitForExit(timeoutMs = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms\n${this.describe()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal; resolves once the process has exited (SIGKILL) or at once (others). */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    if (signal === "SIGKILL") await this.exited;
  }

  describe(): string {
    return `--- ${this.name} (pid ${this.pid}, ${this.running ? "running" : `exited ${this.exitCode ?? this.exitSignal}`}) ---\n${this.output.slice(-4000)}`;
  }
}

export interface WorkerOptions {
  concurrency?: number;
  id?: string;
  args?: readonly string[];
  env?: Record<string, string>;
}

export interface CoordinatorOptions {
  study: string;
  trials: number;
  /** The objective module, or null to coordinate without one (jobs carry no objective id). */
  objective?: string | null;
  args?: readonly string[];
  env?: Record<string, string>;
}

/** One test's corner of the shared Redis: a prefix, the processes started under it, and reads. */
export class Cluster {
  readonly keys: ShoalKeys;
  readonly processes: ShoalProcess[] = [];
  private readonly queues: Queue[] = [];
  /** Set after the test: nothing may start any more (a supervisor would restart what dispose kills). */
  private disposed = false;

  constructor(
    readonly server: TestRedis,
    readonly redis: Redis,
    readonly prefix: string,
  ) {
    this.keys = new ShoalKeys(prefix);
  }

  get url(): string {
    return this.server.url;
  }

  /** `--redis URL --prefix P`. */
  get target(): string[] {
    return ["--redis", this.url, "--prefix", this.prefix];
  }

  /** Starts `shoal worker`; resolves once it has announced itself and takes jobs. */
  async startWorker(objective: string, options: WorkerOptions = {}): Promise<ShoalProcess> {
    const id = options.id ?? `w${this.processes.length}`;
    const p = this.spawn(`worker ${id}`, [
      "worker", fixture(objective), ...this.target, "--id", id, "--concurrency", String(options.concurrency ?? 1), ...(options.args ?? []),
    ], options.env);
    await p.waitForOutput(/Worker \S+ started/);
    return p;
  }

  /**
   * Keeps `count` workers alive, as a process supervisor (or compose's restart policy) would: a
   * worker that dies is replaced by a new one named `<base>-<n>`. `stop()` ends the supervision.
   */
  superviseWorkers(count: number, objective: string, options: WorkerOptions & { base?: string } = {}): { started: ShoalProcess[]; stop(): void } {
    let stopped = false;
    let n = 0;
    const started: ShoalProcess[] = [];
    const launch = (): void => {
      if (stopped || this.disposed) return;
      const id = `${options.base ?? "sup"}-${n++}`;
      void this.startWorker(objective, { ...options, id }).then(
        (p) => {
          started.push(p);
          void p.exited.then(() => launch());
        },
        () => launch(),
      );
    };
    for (let i = 0; i < count; i++) launch();
    return {
      started,
      stop() {
        stopped = true;
      },
    };
  }

  /** Starts `shoal optimize --redis` (does not wait for it). */
  startCoordinator(options: CoordinatorOptions): ShoalProcess {
    const objective = options.objective === undefined ? "quadratic.mjs" : options.objective;
    return this.spawn(`coordinator ${options.study}`, [
      "optimize", ...(objective === null ? [] : [fixture(objective)]), ...this.target,
      "--study", options.study, "--trials", String(options.trials), "--no-progress", ...(options.args ?? []),
    ], options.env);
  }

  /** Runs a one-off `shoal` command (status, trials, studies) against this cluster. */
  shoal(args: readonly string[]): Promise<CliResult> {
    return runShoal(args);
  }

  spawn(name: string, args: readonly string[], env?: Record<string, string>): ShoalProcess {
    if (this.disposed) throw new Error(`${name}: the test is over, nothing may start`);
    const p = new ShoalProcess(name, args, env);
    this.processes.push(p);
    return p;
  }

  /** A BullMQ Queue on this cluster's prefix (closed after the test). */
  queue(name = "trials"): Queue {
    const q = new Queue(name, { connection: this.redis, prefix: this.prefix });
    // Down during a Redis restart, as the harness's connection: without a listener BullMQ prints each error's stack.
    q.on("error", () => undefined);
    this.queues.push(q);
    return q;
  }

  /** Every trial of a study as stored in Redis, running ones with the worker their job is on. */
  async trials(study: string): Promise<FrozenTrial[]> {
    return (await readStudyForWatching(this.redis, this.keys, study, DEFAULT_QUEUE))?.trials ?? [];
  }

  /** The study hash, parsed. */
  async studyHash(study: string): Promise<StudyHash | null> {
    return readStudyHash(this.redis, this.keys, study);
  }

  /** Trials in a final state (COMPLETE, PRUNED, FAIL). */
  async finished(study: string): Promise<FrozenTrial[]> {
    return (await this.trials(study)).filter((t) => t.state !== TrialState.RUNNING && t.state !== TrialState.WAITING);
  }

  /** Every process's output, for failure messages. */
  describe(): string {
    return this.processes.map((p) => p.describe()).join("\n");
  }

  /** Waits for a condition read from Redis, with every process's output on failure. */
  waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
    return waitFor(what, check, { timeoutMs, context: () => this.describe() });
  }

  /**
   * Asserts a finished study: exactly `budget` trials numbered 0..budget-1, all final, nextNumber
   * equal to the budget, nothing left in the running set. Returns the trials.
   */
  async expectExactBudget(study: string, budget: number): Promise<FrozenTrial[]> {
    const trials = await this.trials(study);
    expect(trials.map((t) => t.number)).toEqual([...Array(budget).keys()]);
    expect(trials.filter((t) => t.state === TrialState.RUNNING || t.state === TrialState.WAITING)).toEqual([]);
    expect((await this.studyHash(study))?.nextNumber).toBe(budget);
    expect(await countRunningTrials(this.redis, this.keys, study)).toBe(0);
    return trials;
  }

  /** Stops every worker still running with SIGTERM and checks that it exits cleanly. */
  async stopWorkers(): Promise<void> {
    const workers = this.processes.filter((p) => p.running && p.name.startsWith("worker "));
    for (const w of workers) await w.kill("SIGTERM");
    for (const w of workers) {
      const { code } = await w.waitForExit(20_000);
      expect(code, `${w.name} exit code\n${w.describe()}`).toBe(0);
    }
  }

  /** Kills whatever is still running and closes this test's Redis handles. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all(this.processes.map((p) => p.kill("SIGKILL")));
    await Promise.all(this.queues.map((q) => q.close().catch(() => undefined)));
  }
}

/** "Trial N finished|pruned|failed" lines in a coordinator's log, as numbers. */
export function loggedTrialNumbers(log: string): number[] {
  return [...log.matchAll(/\] Trial (\d+) (?:finished with value|pruned|failed with parameters)/g)].map((m) => Number(m[1]));
}

/** Processes whose parent is this test process (a spawned redis-server excepted). */
function childProcessesOfThisTest(): string[] {
  try {
    const out = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], { encoding: "utf8" });
    return out.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.includes("redis-server") && !/^\d+\s+ps\b/.test(l));
  } catch {
    return []; // ps exits 1 when there is none
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Registers the file's hooks: one Redis server for the file, a fresh Cluster (prefix) per test,
 * every process killed after each test and a leak check that fails the test otherwise.
 * `persistence: "none"` gives a server that comes back empty from `server().restart()`.
 */
export function useCluster(options: Pick<TestRedisOptions, "persistence"> = {}): { cluster(): Promise<Cluster>; server(): TestRedis } {
  let server: TestRedis | null = null;
  let redis: Redis | null = null;
  const clusters: Cluster[] = [];

  beforeAll(async () => {
    server = await startTestRedis({ ...options, own: true });
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
    redis.on("error", () => undefined); // down during a Redis restart: commands wait in the offline queue
  });

  afterEach(async () => {
    const done = clusters.splice(0);
    for (const c of done) await c.dispose();
    const leaked = done.flatMap((c) => c.processes).filter((p) => pidAlive(p.pid) && p.running);
    expect(leaked.map((p) => p.name), "processes left running after the test").toEqual([]);
    expect(childProcessesOfThisTest(), "child processes left behind").toEqual([]);
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  return {
    async cluster() {
      if (!server || !redis) throw new Error("useCluster's beforeAll has not run");
      const c = new Cluster(server, redis, `${server.prefix}-${randomUUID().slice(0, 6)}`);
      clusters.push(c);
      return c;
    },
    server() {
      if (!server) throw new Error("useCluster's beforeAll has not run");
      return server;
    },
  };
}
