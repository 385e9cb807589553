/** Thrown by a waitFor check to stop waiting at once: the condition can no longer come true. */
export class WaitAborted extends Error {}

/**
 * Polls `check` until it returns something other than undefined/false/null; throws after
 * `timeoutMs`, or at once when `check` throws WaitAborted (other errors count as "not yet").
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: { timeoutMs?: number; intervalMs?: number; context?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = null;
    } catch (error) {
      if (error instanceof WaitAborted) throw new Error(`Gave up waiting for ${what}: ${error.message}\n${options.context?.() ?? ""}`);
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${String(lastError)})` : "";
      throw new Error(`Timed out after ${options.timeoutMs ?? 30_000} ms waiting for ${what}${why}\n${options.context?.() ?? ""}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
