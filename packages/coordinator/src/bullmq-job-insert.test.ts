import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { useTestRedis } from "@shoal/testing";
import { Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asBullTransaction, BULLMQ_VERSION, defineJobInsert, JOB_INSERT_SCRIPT } from "./bullmq-job-insert.js";

/** The installed bullmq's version, read from its package.json (not in its exports map). */
function installedBullmqVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.resolve("bullmq")));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version: string };
      if (pkg.name === "bullmq") return pkg.version;
    } catch {
      // not there: one folder up
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error("bullmq's package.json not found");
    dir = up;
  }
}

describe("BullMQ's job insert, used inside Shoal's own MULTI", () => {
  it("is the BullMQ release it was written for: on an upgrade, read bullmq-job-insert.ts again", () => {
    expect(installedBullmqVersion(), "BullMQ was upgraded: check its addStandardJob script path, keys and Job.addJob's runCommand name, then update BULLMQ_VERSION").toBe(BULLMQ_VERSION);
    expect(JOB_INSERT_SCRIPT.name).toBe("addStandardJob");
    expect(JOB_INSERT_SCRIPT.keys).toBeGreaterThan(0);
    expect(JOB_INSERT_SCRIPT.content).toContain("redis.call");
  });

  const server = useTestRedis();
  let plain: Redis;
  let queue: Queue;
  beforeAll(() => {
    plain = server.connect();
    queue = new Queue("insert", { connection: server.connect({ maxRetriesPerRequest: null }), prefix: server.prefix });
  });
  afterAll(async () => {
    await queue.close();
  });

  it("writes the same job as Queue.add does", async () => {
    const data = { study: "s", number: 1, params: { x: 0.5 } };
    const opts = { attempts: 1, removeOnComplete: { age: 60 }, removeOnFail: { age: 600 } };
    await queue.add("trial", data, { ...opts, jobId: "viaQueue" });
    defineJobInsert(plain);
    const multi = plain.multi();
    const job = new Job(queue, "trial", data, { ...opts, jobId: "viaMulti" }, "viaMulti");
    void job.addJob(asBullTransaction(multi)).catch(() => undefined);
    const replies = (await multi.exec()) ?? [];
    expect(replies.map(([error]) => error)).toEqual([null]);

    const hash = async (id: string) => {
      const { timestamp: _t, ...rest } = await plain.hgetall(`${server.prefix}:insert:${id}`);
      return { ...rest, opts: rest.opts?.replace(`"${id}"`, '"<id>"') };
    };
    expect(await hash("viaMulti")).toEqual(await hash("viaQueue"));
    expect(await plain.lrange(`${server.prefix}:insert:wait`, 0, -1)).toEqual(["viaMulti", "viaQueue"]);
    const events = await plain.xrange(`${server.prefix}:insert:events`, "-", "+");
    const kinds = (id: string) => events.filter(([, f]) => f.includes(id)).map(([, f]) => f[f.indexOf("event") + 1]);
    expect(kinds("viaMulti")).toEqual(kinds("viaQueue"));
  });

  it("refuses any other BullMQ command rather than send it wrong", () => {
    defineJobInsert(plain);
    const transaction = asBullTransaction(plain.multi()) as unknown as { runCommand(name: string, args: unknown[]): unknown };
    expect(() => transaction.runCommand("addDelayedJob:9", [])).toThrow(/BullMQ asked to run addDelayedJob:9/);
  });
});
