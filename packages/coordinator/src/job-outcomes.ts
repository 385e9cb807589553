import type { Redis } from "ioredis";

/** A finished job as its queue's event stream reports it: the raw return value, or why it failed. */
export type JobOutcome = { jobId: string; returnvalue: string } | { jobId: string; failedReason: string };

/** How long one XREAD waits for new events (a finite block, so a read never outlives a reconnect by much). */
const BLOCK_MS = 1000;
/** A read that has not settled by then sits on a dead socket: the connection is made anew. */
const STUCK_MS = BLOCK_MS + 5000;
/** Events decoded per read at most. */
const COUNT = 1000;
/**
 * Reads, while events keep coming, at most this often: each read then brings the outcomes of
 * several trials, which the coordinator records and replaces in one pass and one transaction.
 * Reading at every event instead costs it about a quarter more work per trial, and Redis a
 * tenth, for results that arrive a few ms sooner.
 */
export const DEFAULT_READ_INTERVAL_MS = 5;

const EVENT = Buffer.from("event");
const JOB_ID = Buffer.from("jobId");
const COMPLETED = Buffer.from("completed");
const FAILED = Buffer.from("failed");
const RETURNVALUE = Buffer.from("returnvalue");
const FAILED_REASON = Buffer.from("failedReason");

type StreamEntry = [id: Buffer, fields: Buffer[]];

/**
 * Reads a BullMQ queue's event stream (`<prefix>:<queue>:events`) for the jobs that completed or
 * failed, among those whose ids start with `jobIdPrefix`. BullMQ's QueueEvents reads the same
 * stream but makes an object and two emits of each of the four events a job writes there (added,
 * waiting, active, completed); this reads it raw and decodes only the two kinds the coordinator
 * records, which saves it about a tenth of its work per trial; and while events keep coming it
 * reads at most every `readIntervalMs`, so that each read brings several.
 *
 * Reading starts at the stream's end when `start()` is called. A job that finished before, or
 * whose event is trimmed away or missed while Redis was unreachable, is found by the
 * coordinator's reconciling instead, as with QueueEvents.
 */
export class JobOutcomeReader {
  private lastId = "0-0";
  private closed = false;
  /** Ends the wait of the read in flight: a command queued while Redis is down never settles after a disconnect. */
  private unstick: (() => void) | null = null;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly streamKey: string,
    private readonly jobIdPrefix: string,
    private readonly onOutcome: (outcome: JobOutcome) => void,
    private readonly readIntervalMs = DEFAULT_READ_INTERVAL_MS,
  ) {}

  /** Reads the stream's last id, then keeps reading after it until close(). */
  async start(): Promise<void> {
    const last = await this.redis.xrevrange(this.streamKey, "+", "-", "COUNT", 1);
    this.lastId = last[0]?.[0] ?? "0-0";
    this.loop = this.run();
  }

  /**
   * Stops after the read in flight (disconnecting the connection ends that one at once; while
   * Redis is down, close() does); resolves once reading has stopped.
   */
  close(): Promise<void> {
    this.closed = true;
    this.unstick?.();
    return this.loop;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const startedAt = Date.now();
      let reply: Array<[Buffer, StreamEntry[]]> | null;
      try {
        reply = await this.read();
      } catch {
        // Redis unreachable (the coordinator logs the outage once) or the connection closed.
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (reply === null) continue;
      for (const [, entries] of reply) this.handle(entries);
      const wait = startedAt + this.readIntervalMs - Date.now();
      if (wait > 0 && !this.closed) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /**
   * One XREAD, awaited until it settles. A read still unanswered long after its block ended sits
   * on a socket that may be dead without ioredis knowing: the connection is made anew, which sends
   * the read again (ioredis resends unanswered commands), so at most one read is ever in flight.
   */
  private async read(): Promise<Array<[Buffer, StreamEntry[]]> | null> {
    const xread = this.redis.xreadBuffer("COUNT", COUNT, "BLOCK", BLOCK_MS, "STREAMS", this.streamKey, this.lastId) as Promise<
      Array<[Buffer, StreamEntry[]]> | null
    >;
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<"stuck">((resolve) => {
        timer = setTimeout(() => resolve("stuck"), STUCK_MS);
        this.unstick = () => resolve("stuck");
      });
      const reply = await Promise.race([xread, stuck]).finally(() => {
        clearTimeout(timer);
        this.unstick = null;
      });
      if (reply !== "stuck") return reply;
      if (this.closed) return null;
      if (this.redis.status === "ready") this.redis.disconnect(true);
    }
  }

  private handle(entries: readonly StreamEntry[]): void {
    for (const [id, fields] of entries) {
      this.lastId = id.toString("latin1");
      const outcome = this.outcomeOf(fields);
      if (outcome !== null) this.onOutcome(outcome);
    }
  }

  /** The outcome an entry reports, or null for every other event and for other studies' jobs. */
  private outcomeOf(fields: readonly Buffer[]): JobOutcome | null {
    let completed: boolean | null = null;
    let jobId: string | null = null;
    let detail: string | null = null;
    // BullMQ writes the event name first, so the other events are skipped after one comparison.
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const name = fields[i] as Buffer;
      const value = fields[i + 1] as Buffer;
      if (name.equals(EVENT)) {
        if (value.equals(COMPLETED)) completed = true;
        else if (value.equals(FAILED)) completed = false;
        else return null;
      } else if (name.equals(JOB_ID)) {
        jobId = value.toString();
        if (!jobId.startsWith(this.jobIdPrefix)) return null;
      } else if (name.equals(RETURNVALUE) || name.equals(FAILED_REASON)) {
        detail = value.toString();
      }
    }
    if (completed === null || jobId === null) return null;
    return completed ? { jobId, returnvalue: detail ?? "null" } : { jobId, failedReason: detail ?? "" };
  }
}
