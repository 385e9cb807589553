/**
 * What the cluster benchmarks (bench/cluster-*.ts) share: a Redis of their own, child processes
 * that are always killed (normal end, error, Ctrl-C), `shoal worker` processes, and tables.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCoordinator as shippedRunCoordinator } from "@shoal/coordinator";
import { startTestRedis, type TestRedis, type TestRedisOptions } from "@shoal/testing";
import { shoalBin } from "@shoal/testing/cli";
import { Redis } from "ioredis";

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH_DIR, "..");
export const SHOAL_BIN = shoalBin;
export const fixture = (name: string): string => path.join(BENCH_DIR, "fixtures", name);

const children = new Set<ChildProcess>();
let redisServer: TestRedis | null = null;

/** SIGKILLs every child still alive (synchronous: safe in an exit handler). */
export function killChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  children.clear();
}

let cleanupInstalled = false;
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on("exit", killChildren);
  const bail = (why: string, code: number) => {
    process.stderr.write(`${why}: killing children and Redis\n`);
    killChildren();
    const r = redisServer;
    redisServer = null;
    void (r ? r.stop() : Promise.resolve()).finally(() => process.exit(code));
  };
  process.once("SIGINT", () => bail("SIGINT", 130));
  process.once("SIGTERM", () => bail("SIGTERM", 143));
  process.on("uncaughtException", (error) => {
    process.stderr.write(`${error.stack ?? String(error)}\n`);
    bail("uncaught exception", 1);
  });
  process.on("unhandledRejection", (error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    bail("unhandled rejection", 1);
  });
}

/**
 * A redis-server of this benchmark's own (`startTestRedis({ own: true })`: AOF on with
 * appendfsync always). `fsync: "everysec"` switches the running server to production's usual
 * setting with CONFIG SET. `options.persistence: "none"` gives a server that comes back empty
 * from a restart.
 */
export async function startBenchRedis(
  fsync: "always" | "everysec" = "always",
  options: Omit<TestRedisOptions, "own"> = {},
): Promise<TestRedis> {
  installCleanup();
  const r = await startTestRedis({ ...options, own: true });
  redisServer = r;
  if (fsync !== "always") {
    const c = new Redis(r.url);
    await c.config("SET", "appendfsync", fsync);
    c.disconnect();
  }
  return r;
}

/** Stops the benchmark's Redis (after its children). */
export async function stopBenchRedis(): Promise<void> {
  killChildren();
  const r = redisServer;
  redisServer = null;
  await r?.stop();
}

/** A child process whose stdout/stderr are kept (last 64 KB) and which is killed at exit. */
export interface Child {
  proc: ChildProcess;
  output(): string;
  /** Resolves when a line of output matches (rejects when the child exits first or after timeoutMs). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

export function spawnChild(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  installCleanup();
  const proc = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(proc);
  let out = "";
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-65536);
    for (const l of listeners) l();
  };
  proc.stdout?.on("data", append);
  proc.stderr?.on("data", append);
  const exited = new Promise<number | null>((resolve) => {
    proc.once("exit", (code) => {
      children.delete(proc);
      for (const l of listeners) l();
      resolve(code);
    });
  });
  return {
    proc,
    output: () => out,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${command} ${args.join(" ")}: no ${pattern} within ${timeoutMs} ms; output:\n${out}`));
        }, timeoutMs);
        const check = () => {
          if (pattern.test(out)) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          } else if (proc.exitCode !== null || proc.signalCode !== null) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`${command} ${args.join(" ")} exited (${proc.exitCode ?? proc.signalCode}) before ${pattern}; output:\n${out}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
  };
}

export interface ShoalWorkerOptions {
  redisUrl: string;
  prefix: string;
  objective: string;
  concurrency: number;
  id?: string;
  extra?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Flags for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** A patched stand-in for `shoal worker` (a .ts run with tsx, taking the same flags). */
  entry?: string;
}

/** Starts `shoal worker` and waits until it takes jobs. */
export async function startShoalWorker(o: ShoalWorkerOptions): Promise<Child> {
  const entry = o.entry ? ["--import", "tsx", path.resolve(o.entry)] : [SHOAL_BIN];
  const args = [...(o.nodeArgs ?? []), ...entry, "worker", o.objective, "--redis", o.redisUrl, "--prefix", o.prefix, "--concurrency", String(o.concurrency), "--log-format", "json"];
  if (o.id) args.push("--id", o.id);
  args.push(...(o.extra ?? []));
  const child = spawnChild(process.execPath, args, o.env);
  await child.waitFor(/worker_started/, 60_000);
  return child;
}

/**
 * SIGTERMs the children and waits up to graceMs for each to exit by itself, then SIGKILLs it.
 * Returns how many exited by themselves.
 */
export async function stopChildren(list: Child[], graceMs = 3000): Promise<{ exitedByThemselves: number; killed: number }> {
  let exitedByThemselves = 0;
  let killed = 0;
  await Promise.all(
    list.map(async (c) => {
      if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
      c.proc.kill("SIGTERM");
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        c.proc.kill("SIGKILL");
      }, graceMs);
      await c.exited;
      clearTimeout(timer);
      if (timedOut) killed += 1;
      else exitedByThemselves += 1;
    }),
  );
  return { exitedByThemselves, killed };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/** A plain-text table: first row is the header, numbers right-aligned. */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const numeric = (s: string) => /^[-+]?[\d.,]+(e[-+]?\d+)?[x%s]?$/.test(s);
  const line = (r: string[]) => r.map((c, i) => (numeric(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const r of cells.slice(1)) out.push(line(r));
  return out.join("\n");
}

/** Simple --name value / --flag parsing. */
export function flags(argv = process.argv.slice(2)): {
  num(name: string, dflt: number): number;
  str(name: string, dflt: string): string;
  has(name: string): boolean;
  /** A comma-separated list of number pairs, such as "5000/5000,2000/1000" or "1x1,4x2". */
  pairs(name: string, dflt: string, separator: string): Array<[number, number]>;
} {
  const map = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith("--")) continue;
    const eq = a.indexOf("=");
    if (eq > 0) map.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith("--")) map.set(a.slice(2), argv[++i] as string);
    else map.set(a.slice(2), "true");
  }
  return {
    num(name, dflt) {
      const v = map.get(name);
      if (v === undefined) return dflt;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${v}`);
      return n;
    },
    str: (name, dflt) => map.get(name) ?? dflt,
    has: (name) => map.has(name),
    pairs: (name, dflt, separator) =>
      (map.get(name) ?? dflt).split(",").map((item) => {
        const [a, b] = item.split(separator).map(Number);
        if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`--${name}: expected a${separator}b pairs, got ${item}`);
        return [a as number, b as number];
      }),
  };
}

export const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : "-");

/**
 * runCoordinator from @shoal/coordinator, or from the module named by --coordinator PATH (a
 * patched copy, to measure a fix against the shipped code in the same benchmark).
 */
export async function loadRunCoordinator(modulePath: string): Promise<typeof shippedRunCoordinator> {
  if (!modulePath) return shippedRunCoordinator;
  const mod = (await import(path.resolve(modulePath))) as { runCoordinator: typeof shippedRunCoordinator };
  return mod.runCoordinator;
}
