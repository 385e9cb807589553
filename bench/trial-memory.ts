/**
 * How long an objective that exhausts memory takes to FAIL, and how much memory its worker takes
 * first, for several trial heap limits (`shoal worker --trial-memory MB`): a real `shoal worker`
 * and `shoal optimize --redis` against a redis-server of the benchmark's own. Trial 0 allocates
 * 8 MB arrays until its thread runs out of heap; trial 1 returns at once, on the same worker, to
 * show that the worker lives on. "node" is Node's own heap limit for a thread (derived from the
 * machine's memory), which is what a trial had before --trial-memory.
 *
 *   npx tsx bench/trial-memory.ts [--limits node,1024,512,256,64]
 */
import { readFileSync } from "node:fs";
import v8 from "node:v8";
import { ShoalKeys } from "@shoal/redis";
import { Redis } from "ioredis";
import { fixture, flags, fmt, SHOAL_BIN, spawnChild, startBenchRedis, startShoalWorker, stopBenchRedis, stopChildren, table } from "./cluster-common.js";

const LIMITS = flags().str("limits", "node,1024,512,256,64").split(",");
// A thread's default heap limit is the one V8 derives for this process's main thread.
const NODE_LIMIT_MB = Math.floor(v8.getHeapStatistics().heap_size_limit / 2 ** 20);

/** VmRSS and VmHWM (the peak) of a live process, in MB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

const redis = await startBenchRedis("everysec");
const admin = new Redis(redis.url);
const rows: Array<Array<string | number>> = [["limit MB", "time to FAIL s", "worker RSS before MB", "worker peak RSS MB", "RSS after MB", "then", "fail reason"]];
try {
  for (const limit of LIMITS) {
    const mb = limit === "node" ? NODE_LIMIT_MB : Number(limit);
    const prefix = `trial-memory-${limit}`;
    const keys = new ShoalKeys(prefix);
    const worker = await startShoalWorker({
      redisUrl: redis.url, prefix, objective: fixture("fault-ledger.mjs"), concurrency: 1, id: `w-${limit}`,
      extra: ["--trial-memory", String(mb)],
      env: { SHOAL_BENCH_OOM: "0", SHOAL_BENCH_SLEEP_MS: "1" },
    });
    const pid = worker.proc.pid as number;
    const before = memoryOf(pid);
    const coordinator = spawnChild(process.execPath, [
      SHOAL_BIN, "optimize", fixture("fault-ledger.mjs"), "--redis", redis.url, "--prefix", prefix, "--study", "oom",
      "--trials", "2", "--sampler", "random", "--no-progress",
    ]);
    const code = await coordinator.exited;
    const after = memoryOf(pid);
    const [t0, t1] = await Promise.all([0, 1].map((n) => admin.hgetall(keys.trial("oom", n))));
    const seconds = (Date.parse(t0?.datetimeComplete ?? "") - Date.parse(t0?.datetimeStart ?? "")) / 1000;
    const reason = String((JSON.parse(t0?.systemAttrs ?? "{}") as { failReason?: string }).failReason ?? "");
    rows.push([
      limit === "node" ? `${mb} (Node's)` : mb, fmt(seconds, 2), fmt(before.rss, 0), fmt(after.peak, 0), fmt(after.rss, 0),
      `trial 1 ${t1?.state ?? "?"}, exit ${code}`, reason.replace(/ \(heap limit.*/, " (...)").slice(0, 60),
    ]);
    await stopChildren([worker]);
  }
} finally {
  admin.disconnect();
  await stopBenchRedis();
}
process.stdout.write(`${table(rows)}\n`);
