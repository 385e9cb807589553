import { createLogger, type Logger, type LogFormat } from "./logging.js";

/** A logger whose lines land in an array, for tests that check what a user would read. */
export function captureLogger(format: LogFormat = "pretty"): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    format,
    sink: { write: (text) => lines.push(...text.split("\n").filter((l) => l.length > 0)) },
  });
  return { logger, lines };
}
