import { ShoalError } from "@shoal/core";

/**
 * Thrown when a journal file cannot be read as one: not a Shoal journal, a malformed record before
 * the last line (its line number says where), or a record that does not fit the records before it.
 */
export class JournalFormatError extends ShoalError {}

/**
 * Thrown when the journal's lock stays held by another process past the wait, or when this
 * process lost the lock while it wrote (it was judged stale and broken by another process).
 */
export class JournalLockError extends ShoalError {}

/** Thrown when the journal file cannot be opened or written, and by a change to a journal opened read-only. */
export class JournalWriteError extends ShoalError {}
