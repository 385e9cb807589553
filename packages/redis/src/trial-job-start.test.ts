import { useTestRedis } from "@shoal/testing";
import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { ShoalKeys } from "./keys.js";
import { newStudyFields } from "./study-hash.js";
import { readTrialRunner, startTrialJob } from "./trial-job-start.js";

describe("startTrialJob", () => {
  const env = useTestRedis();
  let redis: Redis;
  let keys: ShoalKeys;
  beforeAll(() => {
    redis = env.redis;
    keys = new ShoalKeys(env.prefix);
  });
  const job = (study: string, number: number, worker: string, stalls = 0, claim = true) => ({ study, number, worker, stalls, claim });

  it("tells a whole study from a partial one and from none, and a missing trial from a finished one", async () => {
    expect(await startTrialJob(redis, keys, job("never", 0, "w"))).toEqual({ study: "absent", trialCount: null, state: null, takenFrom: null });
    await redis.hset(keys.study("half"), { nextNumber: "3" }); // re-created by a write after Redis lost it
    await redis.hset(keys.trial("half", 0), { state: "RUNNING" });
    expect(await startTrialJob(redis, keys, job("half", 0, "w"))).toMatchObject({ study: "partial", trialCount: 3, state: "RUNNING" });
    // Nothing is claimed in a partial study.
    expect(await redis.hget(keys.trial("half", 0), "runner")).toBeNull();

    await redis.hset(keys.study("s"), { ...newStudyFields(["minimize"], new Date(), "e1"), nextNumber: "2" });
    await redis.hset(keys.trial("s", 0), { number: "0", state: "COMPLETE", value: "1" });
    await redis.hset(keys.trial("s", 1), { number: "1", state: "bogus" });
    expect(await startTrialJob(redis, keys, job("s", 0, "w"))).toEqual({ study: "present", trialCount: 2, state: "COMPLETE", takenFrom: null });
    expect(await startTrialJob(redis, keys, job("s", 1, "w"))).toMatchObject({ state: "malformed" });
    expect(await startTrialJob(redis, keys, job("s", 7, "w"))).toMatchObject({ study: "present", state: null });
    // A finished trial's hash is never written by a worker.
    expect(await redis.hget(keys.trial("s", 0), "runner")).toBeNull();
  });

  it("names the worker a trial's job was taken back from, once, to the worker that takes it after the stall", async () => {
    await redis.hset(keys.study("t"), newStudyFields(["minimize"], new Date(), "e2"));
    await redis.hset(keys.trial("t", 0), { number: "0", state: "RUNNING" });
    expect((await startTrialJob(redis, keys, job("t", 0, "victim", 0))).takenFrom).toBeNull();
    // Put back without a stall (SIGTERM, a missing study): the same count, no take-back.
    expect((await startTrialJob(redis, keys, job("t", 0, "other", 0))).takenFrom).toBeNull();
    expect((await startTrialJob(redis, keys, job("t", 0, "victim", 0))).takenFrom).toBeNull();
    // Stalled once (BullMQ's stc 1): the next taker learns whom from.
    expect((await startTrialJob(redis, keys, job("t", 0, "survivor", 1))).takenFrom).toEqual({ worker: "victim", stalls: 0 });
    expect(await redis.hmget(keys.trial("t", 0), "runner", "runnerStalls")).toEqual(["survivor", "1"]);
    // A read without a claim (a job under another id) writes nothing and learns nothing.
    expect((await startTrialJob(redis, keys, job("t", 0, "copy", 2, false))).takenFrom).toBeNull();
    expect(await redis.hget(keys.trial("t", 0), "runner")).toBe("survivor");
    expect((await startTrialJob(redis, keys, job("t", 0, "third", 2))).takenFrom).toEqual({ worker: "survivor", stalls: 1 });
    expect(await readTrialRunner(redis, keys, "t", 0)).toBe("third");
    expect(await readTrialRunner(redis, keys, "t", 9)).toBeNull();
  });
});
