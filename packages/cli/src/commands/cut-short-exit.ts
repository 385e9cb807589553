/**
 * After a shutdown cut short (Redis unreachable, or the grace ran out), something may still hold
 * the event loop: a BullMQ connection of its own reconnecting to a Redis that is down, a trial
 * thread that ignores termination. The command returns its exit code as usual; should the process
 * still be alive shortly after, this ends it with that code. Unref'd: it never delays an exit.
 */
export function exitSoonAfterCutShort(code: number, afterMs = 1000): void {
  setTimeout(() => process.exit(code), afterMs).unref();
}
