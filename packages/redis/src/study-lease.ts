import type { Redis } from "ioredis";
import { StudyLeaseError } from "./errors.js";
import type { ShoalKeys } from "./keys.js";

// Renew only while we still hold the lease (another coordinator may hold it by now), or take it
// back when it ran out with nobody else taking it (Redis was down or slow for longer than the TTL).
const RENEW = `local holder = redis.call("GET", KEYS[1])
if holder == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end
if not holder then redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

/** How long a study lease lives without renewal, unless its coordinator says otherwise. */
export const DEFAULT_LEASE_TTL_MS = 10_000;

/** A PTTL that rose more than this between two reads was renewed (it only falls otherwise). */
const RENEWAL_SLACK_MS = 50;

/**
 * The lease that makes one coordinator per study: a key holding the coordinator's id with a TTL,
 * taken with SET NX, renewed at a third of the TTL, released on exit. A coordinator that dies
 * stops renewing, so a restarted one gets the study once the TTL runs out. The lease is lost only
 * to another holder: one that ran out while Redis was unreachable is taken back.
 */
export class StudyLease {
  private timer: NodeJS.Timeout | null = null;
  private lost = false;

  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    readonly holder: string,
    private readonly ttlMs: number,
    private readonly onLost?: () => void,
  ) {}

  /**
   * Takes the study's lease. When another coordinator holds it, waits up to `waitMs` for that
   * lease to run out (its holder died) while watching it: a live holder renews at a third of its
   * TTL, so a TTL that goes up (or a new holder) means it is alive, and this throws
   * StudyLeaseError at once. Throws StudyLeaseError too when the lease outlives `waitMs`.
   */
  static async acquire(
    redis: Redis,
    keys: ShoalKeys,
    studyName: string,
    holder: string,
    options: { ttlMs?: number; waitMs?: number; onLost?: () => void } = {},
  ): Promise<StudyLease> {
    const ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    const key = keys.lease(studyName);
    const deadline = Date.now() + (options.waitMs ?? 0);
    let seen: { holder: string; ttl: number } | null = null;
    for (;;) {
      const ok = await redis.set(key, holder, "PX", ttlMs, "NX");
      if (ok === "OK") break;
      const current = await redis.get(key);
      if (current === holder) break;
      if (current === null) continue; // expired just now: try again
      const ttl = await redis.pttl(key);
      if (seen !== null && (current !== seen.holder || ttl > seen.ttl + RENEWAL_SLACK_MS)) {
        throw new StudyLeaseError(studyName, current, ttl, true);
      }
      if (Date.now() + Math.max(ttl, 0) > deadline) throw new StudyLeaseError(studyName, current, ttl, false);
      seen = { holder: current, ttl };
      await new Promise((r) => setTimeout(r, Math.min(Math.max(ttl, 50), 250)));
    }
    const lease = new StudyLease(redis, key, holder, ttlMs, options.onLost);
    lease.timer = setInterval(() => {
      lease.renew().catch(() => {
        // Redis unreachable: try again at the next tick; the TTL covers short outages.
      });
    }, Math.max(100, Math.floor(ttlMs / 3)));
    lease.timer.unref();
    return lease;
  }

  /**
   * Renews the lease now, or takes it back when it vanished (it ran out, or Redis lost its data)
   * with nobody else taking it: true while this holder has it. A coordinator calls it before
   * writing back a study that Redis lost, rather than wait for the next renewal.
   */
  async reclaim(): Promise<boolean> {
    if (!this.lost) await this.renew();
    return !this.lost;
  }

  private async renew(): Promise<void> {
    const renewed = await this.redis.eval(RENEW, 1, this.key, this.holder, String(this.ttlMs));
    if (renewed === 0 && !this.lost) {
      this.lost = true;
      this.onLost?.();
    }
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

/** Who holds a study's lease and for how much longer, or null when no coordinator holds it. */
export async function readStudyLease(redis: Redis, keys: ShoalKeys, studyName: string): Promise<{ holder: string; ttlMs: number } | null> {
  const [[, holder], [, ttlMs]] = ((await redis.multi().get(keys.lease(studyName)).pttl(keys.lease(studyName)).exec()) ?? [
    [null, null],
    [null, 0],
  ]) as [[unknown, string | null], [unknown, number]];
  return holder === null ? null : { holder, ttlMs };
}
