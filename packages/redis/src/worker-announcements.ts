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
  await redis.set(keys.worker(a.id), JSON.stringify(a), "PX", ttlMs);
}

/** Removes a worker's announcement at once (a clean exit). */
export async function withdrawWorker(redis: Redis, keys: ShoalKeys, id: string): Promise<void> {
  await redis.del(keys.worker(id));
}

/** Every live worker's announcement (malformed ones are skipped), optionally for one queue. */
export async function listWorkers(redis: Redis, keys: ShoalKeys, queue?: string): Promise<WorkerAnnouncement[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", keys.workerPattern(), "COUNT", 200);
    cursor = next;
    found.push(...batch);
  } while (cursor !== "0");
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
