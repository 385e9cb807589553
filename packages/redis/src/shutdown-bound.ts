import { ShoalError } from "@shoal/core";
import type { RedisOutageLog } from "./connection-errors.js";

/** A coordinator's shutdown grace by default (`shoal optimize --shutdown-grace`): time for running trials to report. */
export const DEFAULT_COORDINATOR_SHUTDOWN_GRACE_MS = 30_000;
/**
 * A worker's shutdown grace by default (`shoal worker --shutdown-grace`): under `docker stop`'s
 * 10 s, so the worker exits on its own (and says what it left) before Docker's SIGKILL.
 */
export const DEFAULT_WORKER_SHUTDOWN_GRACE_MS = 8_000;

/** How often reachability and the running count are looked at while a shutdown waits. */
const POLL_MS = 100;

/** Why a shutdown was cut short, and what it left behind. */
export interface ShutdownCut {
  /** `unreachable`: Redis was down with nothing running; `grace`: the grace ran out. */
  reason: "unreachable" | "grace";
  /** Trials still running when it was cut short: left for recovery. */
  running: number;
  /** Whether Redis was unreachable then. */
  redisDown: boolean;
  graceMs: number;
}

/**
 * Thrown by a process whose shutdown (SIGTERM, Ctrl-C) was cut short by its ShutdownBound: Redis
 * unreachable with nothing running, or the grace ran out. The message is the one line to log.
 */
export class ShutdownCutShortError extends ShoalError {
  constructor(
    readonly cut: ShutdownCut,
    message: string,
  ) {
    super(message);
  }
}

export interface ShutdownBoundOptions {
  graceMs: number;
  /** The process's view of Redis being reachable. */
  outages: RedisOutageLog;
  /** Trials this process still waits for. */
  running: () => number;
}

/**
 * Bounds a graceful shutdown. Every Redis command waits in ioredis's offline queue while Redis is
 * down, so a drain that talks to Redis can hang for as long as the outage lasts (hours); this says
 * when to give up on it instead: at once when Redis is unreachable and nothing runs (nothing is
 * left to wait for), else when the grace runs out. `cut` never settles if cancel() comes first.
 */
export class ShutdownBound {
  readonly cut: Promise<ShutdownCut>;
  private timer: NodeJS.Timeout | null = null;
  private poll: NodeJS.Timeout | null = null;

  constructor(private readonly o: ShutdownBoundOptions) {
    this.cut = new Promise((resolve) => {
      const startedAt = Date.now();
      const end = (reason: ShutdownCut["reason"]): void => {
        this.cancel();
        resolve({ reason, running: o.running(), redisDown: o.outages.down, graceMs: o.graceMs });
      };
      const check = (): boolean => {
        if (o.outages.down && o.running() === 0) end("unreachable");
        else if (Date.now() - startedAt >= o.graceMs) end("grace");
        else return false;
        return true;
      };
      if (check()) return;
      this.timer = setTimeout(() => end("grace"), o.graceMs);
      this.poll = setInterval(check, POLL_MS);
    });
  }

  /** The shutdown finished within its bound. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.poll) clearInterval(this.poll);
    this.timer = this.poll = null;
  }
}

/** "1 trial" / "3 trials". */
export function trialCount(n: number): string {
  return `${n} trial${n === 1 ? "" : "s"}`;
}
