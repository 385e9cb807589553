import { createRequire } from "node:module";
import { ShoalError } from "@shoal/core";
import {
  parseStatusArgs,
  parseStudiesArgs,
  parseTrialsArgs,
  runStatus,
  runStudies,
  runTrials,
  STATUS_USAGE,
  STUDIES_USAGE,
  TRIALS_USAGE,
} from "./commands/cluster-queries.js";
import { OPTIMIZE_USAGE, parseOptimizeArgs, runOptimize } from "./commands/optimize.js";
import { parseReportArgs, REPORT_USAGE, runReport } from "./commands/report.js";
import { parseWorkerArgs, runWorker, WORKER_USAGE } from "./commands/worker.js";
import { UsageError } from "./errors.js";

const USAGE = `Usage: shoal <command> [options]

Commands:
  optimize <objective-module>   run a study in this process (no Redis), or coordinate it with --redis
  worker <objective-module>     run trial jobs from Redis
  status                        a study's trials, queue, running trials and workers, from Redis
  trials                        list a study's trials from Redis (table, json or csv)
  studies                       list the studies in Redis
  report --out DIR              the study's plots as an offline HTML report (and PNGs with --png)

Run \`shoal <command> --help\` for a command's options.`;

const usages: Record<string, string> = {
  optimize: OPTIMIZE_USAGE,
  worker: WORKER_USAGE,
  status: STATUS_USAGE,
  trials: TRIALS_USAGE,
  studies: STUDIES_USAGE,
  report: REPORT_USAGE,
};

/** Runs a parsed command, or prints its usage when it asked for --help (parse returned null). */
async function dispatch<C>(usage: string, parsed: C | null, run: (c: C) => Promise<number>): Promise<number> {
  if (parsed === null) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  return run(parsed);
}

function version(): string {
  const require = createRequire(import.meta.url);
  return (require("../package.json") as { version: string }).version;
}

/** The `shoal` command: returns the exit code (0 done, 1 failed, 2 usage error). */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "optimize":
        return await dispatch(OPTIMIZE_USAGE, parseOptimizeArgs(rest), (c) => runOptimize(c));
      case "worker":
        return await dispatch(WORKER_USAGE, parseWorkerArgs(rest), runWorker);
      case "status":
        return await dispatch(STATUS_USAGE, parseStatusArgs(rest), runStatus);
      case "trials":
        return await dispatch(TRIALS_USAGE, parseTrialsArgs(rest), runTrials);
      case "studies":
        return await dispatch(STUDIES_USAGE, parseStudiesArgs(rest), runStudies);
      case "report":
        return await dispatch(REPORT_USAGE, parseReportArgs(rest), runReport);
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
      process.stderr.write(`shoal${error.command ? ` ${error.command}` : ""}: ${error.message}\n\n${usages[error.command ?? ""] ?? USAGE}\n`);
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
