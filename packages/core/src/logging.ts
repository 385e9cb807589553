import { pino, type Logger, type LevelWithSilent } from "pino";

export type { Logger } from "pino";

/** `pretty`: Optuna's `[I 2026-11-27 00:24:40,263] ...` lines; `json`: one pino JSON object a line. */
export type LogFormat = "pretty" | "json";

/** Where log output and the progress bar go. Both share it so a log line never tears the bar. */
export interface LogSink {
  write(text: string): void;
}

const LEVEL_LETTERS: Record<number, string> = { 10: "T", 20: "D", 30: "I", 40: "W", 50: "E", 60: "C" };

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `2026-11-27 00:24:40,263` in local time, as Python's logging prints it. */
export function formatLogTime(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`
  );
}

/** Formats one pino record as an Optuna line. */
export function formatPrettyLine(record: PinoRecord): string {
  const letter = LEVEL_LETTERS[record.level] ?? "I";
  const line = `[${letter} ${formatLogTime(new Date(record.time))}] ${record.msg ?? ""}\n`;
  // An objective's stack trace follows its failure line, as Optuna prints the traceback.
  const stack = record.err?.stack;
  return stack ? `${line}${stack.replace(/^/gm, "    ")}\n` : line;
}

interface PinoRecord {
  level: number;
  time: number;
  msg?: string;
  err?: { stack?: string };
}

/** Everything written to the terminal (log lines, the progress bar) goes through here. */
class Terminal implements LogSink {
  private footer: (() => string) | null = null;
  private footerShown = false;
  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean }) {}

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  write(text: string): void {
    this.clearFooter();
    this.stream.write(text);
    this.drawFooter();
  }

  /** Shows a live line under the log (a progress bar) until `setFooter(null)`. */
  setFooter(render: (() => string) | null): void {
    this.clearFooter();
    this.footer = render;
    this.drawFooter();
  }

  redrawFooter(): void {
    this.clearFooter();
    this.drawFooter();
  }

  private clearFooter(): void {
    if (this.footerShown) {
      this.stream.write("\r\x1b[2K");
      this.footerShown = false;
    }
  }

  private drawFooter(): void {
    if (this.footer) {
      this.stream.write(this.footer());
      this.footerShown = true;
    }
  }
}

/** The process's terminal: standard error, where Optuna writes its log and tqdm its bar. */
export const terminal = new Terminal(process.stderr);

/** Options of createLogger. */
export interface LoggerOptions {
  /** @default "pretty" */
  format?: LogFormat;
  /** pino level; "warn" hides the per-trial lines. @default "info" */
  level?: LevelWithSilent;
  /** @default the terminal (standard error) */
  sink?: LogSink;
}

/** A pino logger that prints Optuna-style lines (or pino's JSON) to the terminal. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const sink = options.sink ?? terminal;
  const level = options.level ?? "info";
  if ((options.format ?? "pretty") === "json") {
    return pino({ level, base: { name: "shoal" } }, { write: (s: string) => sink.write(s) });
  }
  return pino(
    { level, base: undefined },
    {
      write(s: string) {
        sink.write(formatPrettyLine(JSON.parse(s) as PinoRecord));
      },
    },
  );
}

let defaultLogger: Logger | null = null;

/** The logger studies use unless given one. */
export function getLogger(): Logger {
  defaultLogger ??= createLogger();
  return defaultLogger;
}

/** Replaces the logger studies use by default (for example `createLogger({ format: "json" })`). */
export function setLogger(logger: Logger): void {
  defaultLogger = logger;
}

/** Like optuna.logging.set_verbosity: "warn" silences the per-trial info lines. */
export function setVerbosity(level: LevelWithSilent): void {
  getLogger().level = level;
}
