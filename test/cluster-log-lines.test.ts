import { fixture, startTestRedis, type TestRedis } from "@shoal/testing";
import { runShoal } from "@shoal/testing/cli";
import { FAST_STALLS, useCluster, type ShoalProcess } from "@shoal/testing/cluster";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** A line of a stack trace, as Node prints it. */
const STACK_LINE = /^ {4}at /m;

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, "g"))?.length ?? 0;
}

/** Each process's stderr: no stack, no ioredis "Unhandled error event", one outage line and one back line. */
function expectOneOutage(p: ShoalProcess, url: string): void {
  const where = url.replace(/[.*]/g, "\\$&");
  expect(p.stderr, p.describe()).not.toMatch(STACK_LINE);
  expect(p.stderr, p.describe()).not.toMatch(/Unhandled error event|ECONNREFUSED.*\n\s*at /);
  expect(count(p.stderr, new RegExp(`Redis at ${where} unreachable, retrying`)), p.describe()).toBe(1);
  expect(count(p.stderr, new RegExp(`Redis at ${where} reachable again after`)), p.describe()).toBe(1);
}

describe("Redis outages in the log", () => {
  const env = useCluster();

  it("an outage of a few seconds: no stack trace, one unreachable line and one back line per process", async () => {
    const c = await env.cluster();
    const url = env.server().url;
    // The default lock (5 s) outlives the outage: no job loses its lock.
    const worker = await c.startWorker("quadratic.mjs", { id: "a", concurrency: 2, env: { SHOAL_TEST_SLEEP_MS: "200" } });
    const coordinator = c.startCoordinator({ study: "blip", trials: 30, args: ["--sampler", "random"] });
    await c.waitFor("6 finished trials", async () => (await c.finished("blip")).length >= 6);
    await env.server().restart(2500);
    expect((await coordinator.waitForExit(90_000)).code, c.describe()).toBe(0);
    await c.expectExactBudget("blip", 30);
    await c.stopWorkers();
    expectOneOutage(coordinator, url);
    expectOneOutage(worker, url);
  });

  it("an outage longer than the lock: no Missing lock stack, each lost lock's warning once", async () => {
    const c = await env.cluster();
    // Trials of 3 s with a 2 s lock: the outage of 5 s catches every running trial, whose lock expires.
    const workers = await Promise.all(
      ["a", "b"].map((id) => c.startWorker("quadratic.mjs", { id, concurrency: 2, args: FAST_STALLS, env: { SHOAL_TEST_SLEEP_MS: "3000" } })),
    );
    const coordinator = c.startCoordinator({ study: "long", trials: 12, args: ["--sampler", "random"] });
    await c.waitFor("4 running trials", async () => (await c.queue().getActiveCount()) >= 4);
    await env.server().restart(5000);
    expect((await coordinator.waitForExit(120_000)).code, c.describe()).toBe(0);
    await c.expectExactBudget("long", 12);
    await c.stopWorkers();
    const stderr = workers.map((w) => w.stderr).join("");
    for (const p of [coordinator, ...workers]) expect(p.stderr, p.describe()).not.toMatch(STACK_LINE);
    expect(stderr).not.toMatch(/Missing lock for job/);
    const warned = [...stderr.matchAll(/Job (\S+): its lock is gone/g)].map((m) => m[1]);
    expect(warned.length, stderr).toBeGreaterThan(0);
    expect(warned.length, stderr).toBe(new Set(warned).size);
  });
});

describe("a wrong password", () => {
  let locked: TestRedis;
  beforeAll(async () => {
    locked = await startTestRedis({ own: true, password: "sekret" });
  });
  afterAll(async () => {
    await locked.stop();
  });

  it("status and worker print one masked line and exit 1; the right password connects", async () => {
    const wrong = locked.url.replace(":sekret@", ":hunter2@");
    const port = new URL(locked.url).port;
    const line = `shoal: authentication failed for redis://***@127.0.0.1:${port}: check the user and password in the Redis URL.\n`;
    const [status, worker, right] = await Promise.all([
      runShoal(["status", "--redis", wrong, "--study", "s"], { timeoutMs: 60_000 }),
      runShoal(["worker", fixture("quadratic.mjs"), "--redis", wrong], { timeoutMs: 60_000 }),
      runShoal(["status", "--redis", locked.url, "--study", "s"], { timeoutMs: 60_000 }),
    ]);
    for (const r of [status, worker]) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toBe(line);
      expect(r.stderr).not.toContain("hunter2");
    }
    // Past authentication: the study is simply not there.
    expect(right.code, right.stderr).toBe(1);
    expect(right.stderr).toMatch(/^shoal: No study named "s"/);
  });
});

describe("an unreachable Redis", () => {
  const url = "redis://127.0.0.1:1";
  const line = /^shoal: Redis at redis:\/\/127\.0\.0\.1:1 unreachable: no connection within 2 s \(connect ECONNREFUSED 127\.0\.0\.1:1\)\. .*\n$/;

  it.each([
    ["status", ["status", "--redis", url, "--study", "s", "--connect-timeout", "2"]],
    ["optimize", ["optimize", "--redis", url, "--study", "s", "--trials", "3", "--no-progress", "--connect-timeout", "2"]],
    ["worker", ["worker", fixture("quadratic.mjs"), "--redis", url, "--connect-timeout", "2"]],
  ])("%s exits 1 with one line after --connect-timeout", async (_name, args) => {
    const started = Date.now();
    const r = await runShoal(args, { timeoutMs: 60_000 });
    const ms = Date.now() - started;
    expect(r.code, r.stderr).toBe(1);
    // optimize's first line says where it coordinates; the error is the one line after it.
    const lines = r.stderr.split(/(?<=\n)/);
    expect(lines.at(-1)).toMatch(line);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(ms).toBeGreaterThanOrEqual(2000);
    // The timeout plus the process's start (slow on a loaded machine), not a retry for ever.
    expect(ms).toBeLessThan(2000 + 10_000);
  });
});
