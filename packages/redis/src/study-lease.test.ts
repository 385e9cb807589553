import { useTestRedis } from "@shoal/testing";
import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { StudyLeaseError } from "./errors.js";
import { ShoalKeys } from "./keys.js";
import { StudyLease } from "./study-lease.js";

describe("StudyLease", () => {
  const env = useTestRedis();
  let redis: Redis;
  let keys: ShoalKeys;
  beforeAll(() => {
    redis = env.redis;
    keys = new ShoalKeys(env.prefix);
  });

  it("refuses a second holder at once when the first renews, naming the study and the holder", async () => {
    const first = await StudyLease.acquire(redis, keys, "live", "host:1:a", { ttlMs: 600 });
    const error = await StudyLease.acquire(redis, keys, "live", "host:2:b", { ttlMs: 600, waitMs: 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudyLeaseError);
    // Refused on the first renewal it saw, not after the 60 s wait.
    expect((error as StudyLeaseError).alive).toBe(true);
    expect((error as Error).message).toMatch(/^Study "live" is already being coordinated by host:1:a, which is alive/);
    await first.release();
    expect(await redis.exists(keys.lease("live"))).toBe(0);
  });

  it("waits for a dead holder's lease to run out, or fails at once with waitMs 0", async () => {
    await redis.set(keys.lease("dead"), "host:3:gone", "PX", 700);
    await expect(StudyLease.acquire(redis, keys, "dead", "host:4:new", { ttlMs: 600 })).rejects.toThrow(
      /Study "dead" is already being coordinated by host:3:gone\. Stop that coordinator first; if it died, its lease expires within 1 s\./,
    );
    const lease = await StudyLease.acquire(redis, keys, "dead", "host:4:new", { ttlMs: 600, waitMs: 5000 });
    expect(await redis.get(keys.lease("dead"))).toBe("host:4:new");
    await lease.release();
  });

  it("takes its lease back when it ran out with nobody else taking it, and is lost only to another holder", async () => {
    let lost = 0;
    const lease = await StudyLease.acquire(redis, keys, "outage", "host:5:a", { ttlMs: 300, onLost: () => (lost += 1) });
    await redis.del(keys.lease("outage")); // as if it expired while Redis was unreachable
    await expect.poll(() => redis.get(keys.lease("outage"))).toBe("host:5:a");
    expect(lease.isLost).toBe(false);
    await redis.set(keys.lease("outage"), "host:6:b", "PX", 60_000);
    await expect.poll(() => lease.isLost).toBe(true);
    expect(lost).toBe(1);
    await lease.release();
    expect(await redis.get(keys.lease("outage"))).toBe("host:6:b");
  });

  it("reclaims at once a lease that vanished (Redis lost its data), but not one another holder took", async () => {
    const lease = await StudyLease.acquire(redis, keys, "flushed", "host:7:a", { ttlMs: 60_000 });
    await redis.del(keys.lease("flushed"));
    expect(await lease.reclaim()).toBe(true);
    expect(await redis.get(keys.lease("flushed"))).toBe("host:7:a");
    await redis.set(keys.lease("flushed"), "host:8:b", "PX", 60_000);
    expect(await lease.reclaim()).toBe(false);
    expect(lease.isLost).toBe(true);
    await lease.release();
    expect(await redis.get(keys.lease("flushed"))).toBe("host:8:b");
  });
});
