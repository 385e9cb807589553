import type { Redis } from "ioredis";
import { StudyLeaseError } from "./errors.js";
import type { ShoalKeys } from "./keys.js";

// Renew or release only while we still hold the lease: another coordinator may hold it by now.
const RENEW = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

/**
 * The lease that makes one coordinator per study: a key holding the coordinator's id with a TTL,
 * taken with SET NX, renewed at a third of the TTL, released on exit. A coordinator that dies
 * stops renewing, so a restarted one gets the study once the TTL runs out.
 */
export class StudyLease {
  private timer: NodeJS.Timeout | null = null;
  private lost = false;

  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    readonly holder: string,
    private readonly ttlMs: number,
  ) {}

  /**
   * Takes the study's lease, waiting up to `waitMs` for a dead holder's lease to expire; throws
   * StudyLeaseError when someone else holds it.
   */
  static async acquire(
    redis: Redis,
    keys: ShoalKeys,
    studyName: string,
    holder: string,
    options: { ttlMs?: number; waitMs?: number; onLost?: () => void } = {},
  ): Promise<StudyLease> {
    const ttlMs = options.ttlMs ?? 10_000;
    const key = keys.lease(studyName);
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      const ok = await redis.set(key, holder, "PX", ttlMs, "NX");
      if (ok === "OK") break;
      const current = await redis.get(key);
      if (current === holder) break;
      const ttl = await redis.pttl(key);
      if (Date.now() + Math.max(ttl, 0) > deadline) throw new StudyLeaseError(studyName, current ?? "another coordinator", ttl);
      await new Promise((r) => setTimeout(r, Math.min(Math.max(ttl, 50), 1000)));
    }
    const lease = new StudyLease(redis, key, holder, ttlMs);
    lease.timer = setInterval(() => {
      redis
        .eval(RENEW, 1, key, holder, String(ttlMs))
        .then((renewed) => {
          if (renewed === 0 && !lease.lost) {
            lease.lost = true;
            options.onLost?.();
          }
        })
        .catch(() => {
          // Redis unreachable: try again at the next tick; the TTL covers short outages.
        });
    }, Math.max(100, Math.floor(ttlMs / 3)));
    lease.timer.unref();
    return lease;
  }

  /** True once a renewal found the lease held by someone else. */
  get isLost(): boolean {
    return this.lost;
  }

  /** Stops renewing and gives the lease back. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.redis.eval(RELEASE, 1, this.key, this.holder);
  }
}
