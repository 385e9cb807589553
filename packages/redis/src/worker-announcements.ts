import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { WorkerIdTakenError } from "./errors.js";
import type { ShoalKeys } from "./keys.js";

/** What a live worker says of itself, under `<prefix>:worker:<id>` with a short TTL. */
export const workerAnnouncementSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  queue: z.string(),
  objective: z.string(),
  slots: z.number().int().nonnegative(),
  free: z.number().int().nonnegative(),
  startedAt: z.string(),
  state: z.enum(["starting", "running", "draining", "stopped"]),
  /**
   * A random token of the process that holds the id (see WorkerIdClaim): how its heartbeat tells
   * its own announcement from another process's under the same id. Absent from older workers.
   */
  claim: z.string().optional(),
});
export type WorkerAnnouncement = z.infer<typeof workerAnnouncementSchema>;

/** How long an announcement lives after its last refresh: a dead worker's id is free again after this. */
export const WORKER_ANNOUNCEMENT_TTL_MS = 5000;

/** A PTTL that rose more than this between two reads was refreshed (it only falls otherwise). */
const REFRESH_SLACK_MS = 50;

// Takes the id only when nobody holds it; else says who does and for how much longer.
const CLAIM = `if redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2], "NX") then
  redis.call("ZADD", KEYS[2], ARGV[3], ARGV[4])
  return 1
end
return {redis.call("GET", KEYS[1]), redis.call("PTTL", KEYS[1])}`;

// Refreshes only an announcement of this process (its claim marker inside), or writes it again
// when it vanished (it expired, or Redis lost its data); one of another process is left alone.
const REFRESH = `local current = redis.call("GET", KEYS[1])
if current and not string.find(current, ARGV[4], 1, true) then return {0, current} end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
redis.call("ZADD", KEYS[2], ARGV[3], ARGV[5])
if current then return {1} end
return {2}`;

// Removes the announcement unless another process holds the id by now (the index entry is the id's, so it stays then).
const WITHDRAW = `local current = redis.call("GET", KEYS[1])
if current and not string.find(current, ARGV[1], 1, true) then return 0 end
redis.call("DEL", KEYS[1])
redis.call("ZREM", KEYS[2], ARGV[2])
return 1`;

/** How an announcement appears in its JSON with this claim: what the scripts look for. */
function claimMarker(claim: string): string {
  return `${JSON.stringify("claim")}:${JSON.stringify(claim)}`;
}

/** An announcement as stored, parsed; null when it is not one Shoal wrote. */
export function parseWorkerAnnouncement(raw: string | null): WorkerAnnouncement | null {
  if (raw === null) return null;
  try {
    const parsed = workerAnnouncementSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What a refresh found: the announcement was there, or had vanished and was written again. */
export type AnnouncementRefresh = "refreshed" | "recreated";

/**
 * A worker's hold on its id: one live process per id, so two workers never write over each
 * other's announcement (nor show up as one in `shoal status` and BullMQ's `pb`). The id is taken
 * with SET NX and the announcement's TTL, and held by refreshing the announcement (the worker's
 * heartbeat); a worker that dies stops refreshing, so its id is free again within the TTL.
 */
export class WorkerIdClaim {
  private constructor(
    private readonly redis: Redis,
    private readonly keys: ShoalKeys,
    readonly id: string,
    /** This process's token, written into each of its announcements. */
    readonly claim: string,
    readonly ttlMs: number,
  ) {}

  /**
   * Takes the id and writes the first announcement. When another process holds the id, waits up to
   * `waitMs` (default: one TTL, so a worker restarted right after its predecessor died gets the id
   * once that one's announcement runs out) while watching it: a live holder refreshes its
   * announcement every second, so a TTL that goes up (or a new holder) means it is alive, and this
   * throws WorkerIdTakenError at once, naming it. Throws it too when the claim outlives `waitMs`.
   */
  static async acquire(
    redis: Redis,
    keys: ShoalKeys,
    announcement: Omit<WorkerAnnouncement, "claim">,
    options: { ttlMs?: number; waitMs?: number } = {},
  ): Promise<WorkerIdClaim> {
    const ttlMs = options.ttlMs ?? WORKER_ANNOUNCEMENT_TTL_MS;
    const claim = new WorkerIdClaim(redis, keys, announcement.id, randomBytes(8).toString("hex"), ttlMs);
    const deadline = Date.now() + (options.waitMs ?? ttlMs + 500);
    let seen: { holder: string; ttl: number } | null = null;
    for (;;) {
      const reply = (await redis.eval(
        CLAIM,
        2,
        keys.worker(claim.id),
        keys.workers(),
        claim.serialize(announcement),
        String(ttlMs),
        String(Date.now() + ttlMs),
        claim.id,
      )) as 1 | [string | null, number];
      if (reply === 1) return claim;
      const [raw, ttl] = reply;
      if (raw === null) continue; // expired between the SET and the GET: try again
      const holder = parseWorkerAnnouncement(raw);
      // An older worker's announcement has no claim: any change of it is a refresh.
      const holderClaim = holder?.claim ?? raw;
      if (seen !== null && (holderClaim !== seen.holder || ttl > seen.ttl + REFRESH_SLACK_MS)) {
        throw new WorkerIdTakenError(claim.id, holder, ttl, "alive");
      }
      if (ttl < 0 || Date.now() + ttl > deadline) throw new WorkerIdTakenError(claim.id, holder, ttl, "held");
      seen = { holder: holderClaim, ttl };
      await new Promise((r) => setTimeout(r, Math.min(Math.max(ttl, 50), 250)));
    }
  }

  /**
   * Writes the announcement again with a fresh TTL ("recreated" when it had vanished: it ran out,
   * or Redis lost its data). WorkerIdTakenError when another process took the id meanwhile (this
   * one's announcement ran out, e.g. through a long outage, and a worker of the same id started):
   * its announcement is left as it is.
   */
  async refresh(announcement: Omit<WorkerAnnouncement, "claim" | "id">): Promise<AnnouncementRefresh> {
    const reply = (await this.redis.eval(
      REFRESH,
      2,
      this.keys.worker(this.id),
      this.keys.workers(),
      this.serialize({ ...announcement, id: this.id }),
      String(this.ttlMs),
      String(Date.now() + this.ttlMs),
      claimMarker(this.claim),
      this.id,
    )) as [0, string] | [1] | [2];
    if (reply[0] === 0) throw new WorkerIdTakenError(this.id, parseWorkerAnnouncement(reply[1]), 0, "taken-over");
    return reply[0] === 1 ? "refreshed" : "recreated";
  }

  /** True while this process's announcement is in Redis (false: it ran out, Redis lost it, or another holds the id). */
  async isAnnounced(): Promise<boolean> {
    return (await this.redis.get(this.keys.worker(this.id)))?.includes(claimMarker(this.claim)) ?? false;
  }

  /** Removes the announcement at once (a clean exit), unless another process holds the id by now. */
  async withdraw(): Promise<void> {
    await this.redis.eval(WITHDRAW, 2, this.keys.worker(this.id), this.keys.workers(), claimMarker(this.claim), this.id);
  }

  private serialize(announcement: Omit<WorkerAnnouncement, "claim">): string {
    const a: WorkerAnnouncement = { ...announcement, claim: this.claim };
    return JSON.stringify(a);
  }
}

/** Every live worker's announcement (malformed ones are skipped, claims left out), optionally for one queue. */
export async function listWorkers(redis: Redis, keys: ShoalKeys, queue?: string): Promise<WorkerAnnouncement[]> {
  // Workers that stopped announcing drop out of the index here; their keys expired on their own.
  const [, ids] = ((await redis.multi().zremrangebyscore(keys.workers(), "-inf", Date.now()).zrange(keys.workers(), 0, -1).exec()) ?? []) as [
    unknown,
    [Error | null, string[]] | undefined,
  ];
  const found = (ids?.[1] ?? []).map((id) => keys.worker(id));
  if (found.length === 0) return [];
  const values = await redis.mget(...found);
  const out: WorkerAnnouncement[] = [];
  for (const v of values) {
    // A hand-written or half-written key is not a worker we can count on.
    const parsed = parseWorkerAnnouncement(v);
    if (!parsed || (queue !== undefined && parsed.queue !== queue)) continue;
    // The claim token is the worker's own business (its heartbeat's), not something to show.
    const { claim: _claim, ...shown } = parsed;
    out.push(shown);
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
