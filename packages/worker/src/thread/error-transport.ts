/**
 * Errors across the thread boundary, inside the thread. Same shapes as core's serializeError and
 * RemoteError, but the thread must not import @shoal/core at run time: Node resolves that to
 * core's dist, which under vitest (the thread then runs from src) may be stale or not built.
 */
import type { SerializedError } from "@shoal/core";

/** Keeps name, message and stack of anything thrown. */
export function serializeThrown(error: unknown): SerializedError {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: "Error", message: typeof error === "string" ? error : String(error) };
}

/**
 * An error thrown on the main thread (a SearchSpaceError, say), re-thrown at the objective's call:
 * same name and message; the stack is the thread's, which shows the objective's line.
 */
export function rebuildMainThreadError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  // Re-render the first stack line, which was captured under the name "Error".
  error.stack = `${serialized.name}: ${serialized.message}${(error.stack ?? "").replace(/^[^\n]*/, "")}`;
  return error;
}
