import type { Redis } from "ioredis";
import { z } from "zod";
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
});
export type WorkerAnnouncement = z.infer<typeof workerAnnouncementSchema>;

/** Writes (or refreshes) a worker's announcement; it disappears `ttlMs` after the last refresh. */
export async function announceWorker(redis: Redis, keys: ShoalKeys, a: WorkerAnnouncement, ttlMs: number): Promise<void> {
  await redis
    .multi()
    .set(keys.worker(a.id), JSON.stringify(a), "PX", ttlMs)
    .zadd(keys.workers(), Date.now() + ttlMs, a.id)
    .exec();
}

/** Removes a worker's announcement at once (a clean exit). */
export async function withdrawWorker(redis: Redis, keys: ShoalKeys, id: string): Promise<void> {
  await redis.multi().del(keys.worker(id)).zrem(keys.workers(), id).exec();
}

/** Every live worker's announcement (malformed ones are skipped), optionally for one queue. */
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
    if (!v) continue;
    try {
      const parsed = workerAnnouncementSchema.safeParse(JSON.parse(v));
      if (parsed.success && (queue === undefined || parsed.data.queue === queue)) out.push(parsed.data);
    } catch {
      // a hand-written or half-written key: not a worker we can count on
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
