import { createRequire } from "node:module";
import { ShoalError } from "@shoal/core";
import { UsageError } from "./errors.js";

// Each command's module loads only when it runs: `shoal worker` need not load the plotting stack.
const commands = {
  optimize: () => import("./commands/optimize.js").then((m) => ({ usage: m.OPTIMIZE_USAGE, parse: m.parseOptimizeArgs, run: m.runOptimize })),
  worker: () => import("./commands/worker.js").then((m) => ({ usage: m.WORKER_USAGE, parse: m.parseWorkerArgs, run: m.runWorker })),
  status: () => import("./commands/cluster-queries.js").then((m) => ({ usage: m.STATUS_USAGE, parse: m.parseStatusArgs, run: m.runStatus })),
  trials: () => import("./commands/cluster-queries.js").then((m) => ({ usage: m.TRIALS_USAGE, parse: m.parseTrialsArgs, run: m.runTrials })),
  studies: () => import("./commands/cluster-queries.js").then((m) => ({ usage: m.STUDIES_USAGE, parse: m.parseStudiesArgs, run: m.runStudies })),
  report: () => import("./commands/report.js").then((m) => ({ usage: m.REPORT_USAGE, parse: m.parseReportArgs, run: m.runReport })),
} as const;

type CommandName = keyof typeof commands;

interface LoadedCommand {
  usage: string;
  parse: (argv: readonly string[]) => unknown;
  run: (parsed: never) => Promise<number>;
}

const USAGE = `Usage: shoal <command> [options]

Commands:
  optimize <objective-module>   run a study in this process (no Redis; --storage FILE keeps it), or coordinate it with --redis
  worker <objective-module>     run trial jobs from Redis
  status                        a study's trials, queue, running trials and workers, from Redis (or --storage FILE)
  trials                        list a study's trials from Redis or --storage FILE (table, json or csv)
  studies                       list the studies in Redis (or in --storage FILE)
  report --out DIR              the study's plots as an offline HTML report (and PNGs with --png)

Run \`shoal <command> --help\` for a command's options.`;

function version(): string {
  const require = createRequire(import.meta.url);
  return (require("../package.json") as { version: string }).version;
}

/** The `shoal` command: returns the exit code (0 done, 1 failed, 2 usage error). */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  let loaded: LoadedCommand | null = null;
  try {
    if (command !== undefined && Object.hasOwn(commands, command)) {
      loaded = (await commands[command as CommandName]()) as LoadedCommand;
      const parsed = loaded.parse(rest);
      if (parsed === null) {
        process.stdout.write(`${loaded.usage}\n`);
        return 0;
      }
      return await loaded.run(parsed as never);
    }
    switch (command) {
      case "--version":
      case "-v":
        process.stdout.write(`${version()}\n`);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`shoal${error.command ? ` ${error.command}` : ""}: ${error.message}\n\n${loaded?.usage ?? USAGE}\n`);
      return 2;
    }
    if (error instanceof ShoalError) {
      process.stderr.write(`shoal: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`shoal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
