import { hostname } from "node:os";

/** This machine's name, as locks and trial owners record it. */
export const HOST = hostname();

/** How a trial's owner is written in its `worker` system attr: `<host>:<pid>`. */
export function ownerName(host: string, pid: number): string {
  return `${host}:${pid}`;
}

/** The host and pid of a `<host>:<pid>` owner, or null for anything else. */
export function parseOwner(value: unknown): { host: string; pid: number } | null {
  if (typeof value !== "string") return null;
  const m = /^(.+):(\d+)$/.exec(value);
  return m ? { host: m[1] as string, pid: Number(m[2]) } : null;
}

/**
 * True when a process with this pid runs on this machine. EPERM means it runs as another user.
 * A pid reused by an unrelated process reads as alive: the one case this check gets wrong.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` milliseconds: the lock is taken inside synchronous Storage calls. */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
