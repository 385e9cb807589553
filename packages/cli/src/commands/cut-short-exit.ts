/**
 * After a shutdown cut short (Redis unreachable, or the grace ran out), something may still hold
 * the event loop for seconds: BullMQ's Worker waits for its next job with a timer of its own that
 * nothing clears while Redis is down; a trial thread may ignore termination a while. The command
 * returns its exit code as usual; should the process still be alive shortly after, this ends it
 * with that code. Unref'd: it never delays an exit.
 */
export function exitSoonAfterCutShort(code: number, afterMs = 250): void {
  setTimeout(() => process.exit(code), afterMs).unref();
}
