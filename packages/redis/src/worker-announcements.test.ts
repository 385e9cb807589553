import { useTestRedis } from "@shoal/testing";
import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { WorkerIdTakenError } from "./errors.js";
import { ShoalKeys } from "./keys.js";
import { listWorkers, parseWorkerAnnouncement, WorkerIdClaim, type WorkerAnnouncement } from "./worker-announcements.js";

function announcement(id: string, pid: number): Omit<WorkerAnnouncement, "claim"> {
  return { id, host: "box", pid, queue: "trials", objective: "o.mjs@1", slots: 2, free: 2, startedAt: `2026-01-01T00:00:0${pid % 10}.000Z`, state: "running" };
}

describe("WorkerIdClaim", () => {
  const env = useTestRedis();
  let redis: Redis;
  let keys: ShoalKeys;
  beforeAll(() => {
    redis = env.redis;
    keys = new ShoalKeys(env.prefix);
  });

  it("refuses a second process while the first refreshes, naming the first's host, pid and start time", async () => {
    // Refreshed as a worker does, at a fraction of the TTL.
    const first = await WorkerIdClaim.acquire(redis, keys, announcement("dup", 101), { ttlMs: 2000 });
    const heartbeat = setInterval(() => void first.refresh(announcement("dup", 101)), 400);
    try {
      const error = await WorkerIdClaim.acquire(redis, keys, announcement("dup", 202), { ttlMs: 2000, waitMs: 60_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerIdTakenError);
      expect((error as WorkerIdTakenError).how).toBe("alive");
      expect((error as Error).message).toBe(
        'Worker id "dup" is taken: worker "dup" on host box, pid 101, started at 2026-01-01T00:00:01.000Z (queue "trials", running) ' +
          "holds it and is alive (it refreshed its announcement just now). Give this worker another --id, or stop that one first.",
      );
    } finally {
      clearInterval(heartbeat);
    }
    // The first one's announcement is untouched, and listed.
    expect(parseWorkerAnnouncement(await redis.get(keys.worker("dup")))?.pid).toBe(101);
    expect(await listWorkers(redis, keys)).toEqual([announcement("dup", 101)]);
    await first.withdraw();
    expect(await redis.exists(keys.worker("dup"))).toBe(0);
  });

  it("takes the id once a dead holder's announcement runs out, or fails at once with waitMs 0", async () => {
    await WorkerIdClaim.acquire(redis, keys, announcement("dead", 303), { ttlMs: 700 }); // never refreshed: as if killed
    await expect(WorkerIdClaim.acquire(redis, keys, announcement("dead", 404), { ttlMs: 700, waitMs: 0 })).rejects.toThrow(
      /^Worker id "dead" is taken: worker "dead" on host box, pid 303, .* if it died, its announcement runs out within 1 s\.$/,
    );
    const second = await WorkerIdClaim.acquire(redis, keys, announcement("dead", 404), { ttlMs: 700 });
    expect(parseWorkerAnnouncement(await redis.get(keys.worker("dead")))?.pid).toBe(404);
    expect(await second.isAnnounced()).toBe(true);
    await second.withdraw();
  });

  it("a refresh writes back an announcement that vanished, and leaves one of another process alone", async () => {
    const claim = await WorkerIdClaim.acquire(redis, keys, announcement("hb", 505), { ttlMs: 60_000 });
    expect(await claim.refresh({ ...announcement("hb", 505), free: 1 })).toBe("refreshed");
    expect(parseWorkerAnnouncement(await redis.get(keys.worker("hb")))?.free).toBe(1);
    await redis.del(keys.worker("hb")); // ran out during an outage, or Redis lost its data
    expect(await claim.isAnnounced()).toBe(false);
    expect(await claim.refresh(announcement("hb", 505))).toBe("recreated");
    expect(await claim.isAnnounced()).toBe(true);

    // Another process took the id meanwhile: the refresh says so and writes nothing; withdraw leaves it too.
    await redis.del(keys.worker("hb"));
    const other = await WorkerIdClaim.acquire(redis, keys, announcement("hb", 606), { ttlMs: 60_000 });
    const error = await claim.refresh(announcement("hb", 505)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerIdTakenError);
    expect((error as Error).message).toMatch(/^Worker id "hb" was taken by worker "hb" on host box, pid 606, .* This worker stopped: give each worker its own --id\.$/);
    await claim.withdraw();
    expect(parseWorkerAnnouncement(await redis.get(keys.worker("hb")))?.pid).toBe(606);
    expect(await redis.zscore(keys.workers(), "hb")).not.toBeNull();
    await other.withdraw();
    expect(await redis.zscore(keys.workers(), "hb")).toBeNull();
  });
});
