/**
 * Recovery: seconds from a worker's SIGKILL mid-trial until its trial is running again on another
 * worker. Each repetition: a "victim" `shoal worker` takes the study's only trial (its objective
 * sleeps 60 s), a "survivor" worker joins, the victim is SIGKILLed; then the trial hash's
 * `worker` field (written when a worker starts the trial) is polled every 20 ms until it names
 * the survivor. BullMQ's "stalled" event splits the time into "back in the queue" (the lock expired
 * and a stalled-job check moved the job to wait) and "running again" (picked up and started). The
 * kill falls at phases spread evenly over two stalled-check intervals of the survivor.
 * With `shoal worker`'s defaults (lock duration and stalled interval 5 s) and shorter settings.
 * Target: at most 15 s with the defaults.
 *
 *   npx tsx bench/cluster-recovery.ts [--reps 4] [--settings 5000/5000,2000/1000,1000/500]
 *                                     [--fsync everysec|always]
 */
import os from "node:os";
import { createLogger, RandomSampler, TrialState, type Study } from "@shoal/core";
import { DEFAULT_QUEUE, objectiveIdOf, readTrialJobWorker, ShoalKeys, trialJobId } from "@shoal/redis";
import { Redis } from "ioredis";
import {
  fixture,
  flags as parseFlags,
  fmt,
  loadRunCoordinator,
  median,
  sleep,
  startBenchRedis,
  startShoalWorker,
  stopBenchRedis,
  stopChildren,
  table,
  type Child,
} from "./cluster-common.js";

const f = parseFlags();
const REPS = f.num("reps", 4);
const SETTINGS = f.pairs("settings", "5000/5000,2000/1000,1000/500", "/").map(([lock, stalled]) => ({ lock, stalled }));
const FSYNC = f.str("fsync", "everysec") as "always" | "everysec";
const COORDINATOR = f.str("coordinator", "");
const runCoordinator = await loadRunCoordinator(COORDINATOR);
const OBJECTIVE = fixture("cluster-sleep.mjs");
const STUDY = "rec";
const silent = createLogger({ level: "silent" });
const DEFAULTS = { lock: 5000, stalled: 5000 };

interface Rep {
  lock: number;
  stalled: number;
  /** Kill -> BullMQ's "stalled" event (the job moved back to wait); null when none was found. */
  toQueue: number | null;
  /** Kill -> trial started by the survivor. */
  toRunning: number;
  ok: string;
}

async function pollUntil<T>(what: string, fn: () => Promise<T | null>, timeoutMs: number, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function repetition(url: string, admin: Redis, lock: number, stalled: number, rep: number): Promise<Rep> {
  const prefix = `rec-${lock}-${stalled}-${rep}`;
  const keys = new ShoalKeys(prefix);
  // Who runs the trial: BullMQ's processedBy in its job, set as a worker takes it.
  const runner = () => readTrialJobWorker(admin, keys, DEFAULT_QUEUE, STUDY, 0);
  const flagsFor = ["--lock-duration", String(lock), "--stalled-interval", String(stalled)];
  const isDefault = lock === DEFAULTS.lock && stalled === DEFAULTS.stalled;
  const workers: Child[] = [];
  try {
    const victim = await startShoalWorker({
      redisUrl: url, prefix, objective: OBJECTIVE, concurrency: 1, id: "victim",
      // With the defaults, pass no flag at all: measure what `shoal worker` really does.
      extra: isDefault ? [] : flagsFor,
      env: { SHOAL_BENCH_SLEEP_MS: "60000" },
    });
    workers.push(victim);
    const done: Promise<Study> = runCoordinator({
      redisUrl: url, prefix, studyName: STUDY, trialBudget: 1,
      sampler: new RandomSampler({ seed: rep }), objectiveId: await objectiveIdOf(OBJECTIVE), logger: silent,
    });
    done.catch(() => undefined);
    await pollUntil("the victim to start the trial", async () => ((await runner()) === "victim" ? true : null), 30_000);
    const survivor = await startShoalWorker({
      redisUrl: url, prefix, objective: OBJECTIVE, concurrency: 1, id: "survivor",
      extra: isDefault ? [] : flagsFor,
      env: { SHOAL_BENCH_SLEEP_MS: "100" },
    });
    workers.push(survivor);
    // Kill at a phase of the survivor's stalled-job timer spread evenly over two intervals, as a
    // crash would fall at any time (killed right after the survivor started, the victim's trial
    // would come back after exactly two intervals every time).
    await sleep(((rep + 0.5) / REPS) * 2 * stalled);
    // Still the victim's: it sleeps 60 s.
    if ((await runner()) !== "victim") throw new Error("the trial left the victim before the kill");
    const killedAt = performance.now();
    const killedAtEpoch = Date.now();
    victim.proc.kill("SIGKILL");
    const jobId = trialJobId(STUDY, 0);
    const toRunning = await pollUntil(
      "the survivor to start the trial",
      async () => ((await runner()) === "survivor" ? (performance.now() - killedAt) / 1000 : null),
      90_000,
    );
    // When a stalled-job check moved the job back to wait: BullMQ's "stalled" event, whose stream id is its time.
    const events = await admin.xrange(keys.queueEvents(DEFAULT_QUEUE), "-", "+");
    const stalledEvent = events.find(([, fields]) => {
      const m = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) m.set(fields[i] as string, fields[i + 1] as string);
      return m.get("event") === "stalled" && m.get("jobId") === jobId;
    });
    const toQueue = stalledEvent ? (Number(stalledEvent[0].split("-")[0]) - killedAtEpoch) / 1000 : null;
    const study = await done;
    const trials = study.getTrials();
    const ok =
      trials.length === 1 && trials[0]?.state === TrialState.COMPLETE && trials[0]?.systemAttrs.worker === "survivor"
        ? "yes"
        : `NO (${trials.map((t) => `${t.number} ${t.state} on ${String(t.systemAttrs.worker)}`).join(", ")})`;
    process.stderr.write(`  lock ${lock} / stalled ${stalled} #${rep + 1}: running again after ${fmt(toRunning, 2)} s\n`);
    return { lock, stalled, toQueue, toRunning, ok };
  } finally {
    await stopChildren(workers);
  }
}

async function main(): Promise<void> {
  const redis = await startBenchRedis(FSYNC);
  const admin = new Redis(redis.url);
  const reps: Rep[] = [];
  try {
    for (const s of SETTINGS) for (let r = 0; r < REPS; r++) reps.push(await repetition(redis.url, admin, s.lock, s.stalled, r));
  } finally {
    admin.disconnect();
    await stopBenchRedis();
  }
  console.log(
    `Recovery after SIGKILL of a worker mid-trial: seconds until the trial runs again on another worker (${REPS} repetitions each); ` +
      `Node ${process.version}, ${os.cpus().length} cores, Redis appendfsync ${FSYNC}`,
  );
  console.log("");
  console.log(
    table([
      ["lock ms / stalled ms", "rep", "kill -> stalled (back in queue) s", "kill -> running again s", "trial completed once, on the survivor"],
      ...reps.map((r, i) => [
        `${r.lock} / ${r.stalled}${r.lock === DEFAULTS.lock && r.stalled === DEFAULTS.stalled ? " (defaults)" : ""}`,
        (i % REPS) + 1,
        r.toQueue === null ? "-" : fmt(r.toQueue, 2),
        fmt(r.toRunning, 2),
        r.ok,
      ]),
    ]),
  );
  console.log("");
  console.log(
    table([
      ["lock ms / stalled ms", "median s", "max s"],
      ...SETTINGS.map((s) => {
        const xs = reps.filter((r) => r.lock === s.lock && r.stalled === s.stalled).map((r) => r.toRunning);
        return [`${s.lock} / ${s.stalled}`, fmt(median(xs), 2), fmt(Math.max(...xs), 2)];
      }),
    ]),
  );
  const def = reps.filter((r) => r.lock === DEFAULTS.lock && r.stalled === DEFAULTS.stalled).map((r) => r.toRunning);
  if (def.length > 0) {
    const worst = Math.max(...def);
    console.log(`\nWith the defaults: worst ${fmt(worst, 2)} s (target <= 15 s): ${worst <= 15 ? "MET" : "NOT MET"}`);
  }
}

await main();
process.exit(0);
