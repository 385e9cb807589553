import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { CmaEsSampler, createLogger, createStudy, GPSampler, GridSampler, NSGAIIISampler, NSGAIISampler, QMCSampler, RandomSampler, studyToJson, TPESampler, type GridSearchSpace, type Logger, type Sampler, type Study, type StudyDirection } from "@shoal/core";
import { DEFAULT_LEASE_WAIT_MS, runCoordinator } from "@shoal/coordinator";
import { JournalFileStorage } from "@shoal/journal";
import { DEFAULT_COORDINATOR_SHUTDOWN_GRACE_MS, DEFAULT_PREFIX, DEFAULT_QUEUE, objectiveIdOf, redactRedisUrl, ShutdownCutShortError } from "@shoal/redis";
import { optimizeLocally } from "@shoal/worker";
import { NoCompletedTrialError, UsageError } from "../errors.js";
import {
  checkObjectiveModule,
  connectTimeoutMs,
  defineFlags,
  flag,
  formatOptions,
  parseFlags,
  parseRedisFlag,
  redisFlags,
  shutdownGraceFlag,
  shutdownGraceMs,
  SIGNAL_EXIT_CODES,
  trialMemoryFlag,
  trialTimeoutFlag,
  type FlagValues,
} from "../flags.js";
import { formatSummary, noCompletedTrialDetail } from "../output/summary.js";
import { clusterModeLine, clusterReason, embeddedModeLine, resolveClusterTarget, unusedRedisUrlNote, type ClusterTarget } from "./optimize-mode.js";
import { trialsToCsv } from "../output/trials-csv.js";
import { constraintsFromUserAttr } from "./constraints-attr.js";
import { gridFlag } from "./grid-flag.js";
import { exitSoonAfterCutShort } from "./cut-short-exit.js";

const optimizeFlags = defineFlags({
  trials: flag.int({ value: "N", min: 0, help: "number of trials to run (N >= 0)" }),
  timeout: flag.positiveNumber({ value: "S", unit: "seconds", help: "start no new trial after S seconds" }),
  // No default here: a resumed study keeps its own direction unless one is given.
  direction: flag.choice({ value: "DIR", choices: ["minimize", "maximize"], help: "minimize (default for a new study) or maximize" }),
  directions: flag.text({
    value: "DIRS",
    rule: "must be a comma-separated list of minimize and maximize, e.g. minimize,maximize",
    pattern: /^(?:minimize|maximize)(?:,(?:minimize|maximize))*$/,
    help: "one direction per objective, comma-separated (a multi-objective study:\nthe objective returns an array of as many values)",
  }),
  sampler: flag.choice({
    value: "NAME",
    choices: ["tpe", "random", "nsga2", "nsga3", "gp", "cmaes", "qmc", "grid"],
    default: "tpe",
    help: "tpe (default; MOTPE with several objectives), random, nsga2 (NSGA-II),\nnsga3 (NSGA-III, for 3 or more objectives), gp (Gaussian process, one objective),\ncmaes (CMA-ES, one objective), qmc (quasi-random: a Sobol sequence) or grid (every point of --grid, then stop)",
  }),
  grid: flag.text({
    value: "JSON",
    rule: "must be a JSON object of each parameter's values",
    help: "the grid of --sampler grid: each parameter's values, e.g.\n'{\"x\": [0, 1, 2], \"act\": [\"relu\", \"tanh\"]}'",
  }),
  "constraints-attr": flag.text({
    value: "NAME",
    rule: "must name a user attr",
    help: "constraints: the objective stores its constraint values with\ntrial.setUserAttr(NAME, [c1, ...]), each <= 0 when it holds; infeasible trials\nare never best (tpe, nsga2, nsga3, gp)",
  }),
  seed: flag.int({ value: "N", min: 0, max: 2 ** 32 - 1, help: "seed for the sampler: the same seed gives the same study" }),
  jobs: flag.int({ value: "N", min: 1, max: 1024, default: 1, help: "trials run in parallel threads (default {default})" }),
  "trial-timeout": trialTimeoutFlag,
  "trial-memory": trialMemoryFlag,
  study: flag.text({ value: "NAME", rule: "must not be empty", help: "the study's name (default no-name-<uuid>)" }),
  storage: flag.text({
    value: "FILE",
    rule: "must name a journal file",
    help: "keep the study in the journal file FILE (created when missing): a study of\n--study NAME already in it is resumed, and other processes may share it",
  }),
  "log-format": { ...redisFlags["log-format"], help: "pretty (default, Optuna's lines) or json" },
  out: flag.text({ value: "DIR", rule: "must name a directory", help: "write trials.json and trials.csv to DIR" }),
  "no-progress": flag.boolean({ help: "no progress bar (it shows only on a terminal anyway)" }),
  redis: {
    ...redisFlags.redis,
    help: "coordinate the study on the cluster (default $SHOAL_REDIS_URL; $REDIS_URL\nis never used here)",
  },
  prefix: redisFlags.prefix,
  queue: { ...redisFlags.queue, help: `BullMQ queue of the trial jobs (default ${DEFAULT_QUEUE})` },
  "connect-timeout": redisFlags["connect-timeout"],
  "lease-wait": flag.int({
    value: "S",
    min: 0,
    help:
      `wait up to S seconds (default ${DEFAULT_LEASE_WAIT_MS / 1000}) for the study lease of a coordinator that\n` +
      "died to run out, as after a crash and restart; 0 = fail at once. A live\n" +
      "coordinator renews its lease: a second one exits at once with an error",
  }),
  "shutdown-grace": shutdownGraceFlag(
    `after SIGTERM or Ctrl-C, wait at most S seconds (default ${DEFAULT_COORDINATOR_SHUTDOWN_GRACE_MS / 1000}) for the running\n` +
      "trials; then, or at once with Redis unreachable and no trial on a worker,\n" +
      `exit ${SIGNAL_EXIT_CODES.SIGTERM} (${SIGNAL_EXIT_CODES.SIGINT} for Ctrl-C), leaving them to the study's next coordinator`,
  ),
});

type OptimizeFlags = FlagValues<typeof optimizeFlags>;

export const OPTIMIZE_USAGE = `Usage: shoal optimize <objective-module> [options]
       shoal optimize [objective-module] --redis URL --study NAME [options]

Runs a study of the objective module's exported \`objective(trial)\` in this process, each trial in
a worker thread. No Redis needed.

With --storage FILE the study is kept in that journal file, each change written (and synced)
as it is made, so it outlives this process: run the command again with the same --study to
resume it (--trials counts this run's trials; finished trials are kept, a trial whose process
died is recorded FAIL), or run several such commands at once on one file to share the study.

With --redis URL, or with $SHOAL_REDIS_URL set, this process is the study's coordinator instead:
it samples trials and enqueues them for \`shoal worker\` processes on any machine, records their
results in Redis, and ends when the study has its --trials (a global budget: trials already in the
study count) and none is running. One coordinator per study: a restarted coordinator waits for the
dead one's lease (--lease-wait) and resumes the study. The objective module is optional then; given,
its workers must run the same file. $REDIS_URL alone never switches the mode (many machines and
test runners set it); \`SHOAL_REDIS_URL= shoal optimize ...\` runs one study here. The first log
line says which mode, and where.

${formatOptions(optimizeFlags, 24)}

At least one of --trials and --timeout is needed.`;

/** `shoal optimize`'s flags after validation: plain, typed, defaulted. */
export interface OptimizeCommand {
  /** Undefined only in cluster mode, where the workers hold the objective. */
  objectiveModule: string | undefined;
  /** Set in cluster mode (see resolveClusterTarget for the rule). */
  redis:
    | {
        url: string;
        source: ClusterTarget["source"];
        prefix: OptimizeFlags["prefix"];
        queue: OptimizeFlags["queue"];
        leaseWaitSeconds: OptimizeFlags["lease-wait"];
        /** The first connection's bound (--connect-timeout). */
        connectTimeoutMs: number;
        /** How long SIGTERM or Ctrl-C waits for running trials (--shutdown-grace). */
        shutdownGraceMs: number;
      }
    | undefined;
  /** The journal file of the embedded study (--storage), resolved; undefined: in memory. */
  journal: string | undefined;
  nTrials: OptimizeFlags["trials"];
  timeoutSeconds: OptimizeFlags["timeout"];
  /** One per objective (--directions), or [--direction]; undefined: a new study minimizes, a resumed one keeps its own. */
  directions: StudyDirection[] | undefined;
  sampler: OptimizeFlags["sampler"];
  /** The grid of --sampler grid (--grid). */
  grid: GridSearchSpace | undefined;
  /** The user attr holding each trial's constraint values (--constraints-attr), if any. */
  constraintsAttr: string | undefined;
  seed: OptimizeFlags["seed"];
  jobs: OptimizeFlags["jobs"];
  trialTimeoutSeconds: OptimizeFlags["trial-timeout"];
  trialMemoryMb: OptimizeFlags["trial-memory"];
  studyName: OptimizeFlags["study"];
  logFormat: OptimizeFlags["log-format"];
  outDir: string | undefined;
  showProgressBar: boolean;
  /** Embedded while $REDIS_URL is set: the start line says it is not used. */
  unusedRedisUrl: boolean;
}

/** Validates `shoal optimize` arguments; returns null when help was asked for. */
export function parseOptimizeArgs(argv: readonly string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): OptimizeCommand | null {
  const { values, positionals } = parseFlags("optimize", argv, optimizeFlags);
  if (values.help) return null;
  if (positionals.length > 1) throw new UsageError(`expected one objective module, got ${positionals.length}: ${positionals.join(" ")}.`, "optimize");
  checkStorageFlag(values.storage, values.redis, positionals.length);
  // A journal file means this process runs the study, whatever $SHOAL_REDIS_URL says.
  const cluster = values.storage === undefined ? resolveClusterTarget(values.redis, env) : null;
  if (positionals.length === 0 && cluster === null) {
    throw new UsageError(
      "missing the objective module, e.g. shoal optimize ./objective.ts --trials 100 (or coordinate a study on the cluster with " +
        `--redis URL --study NAME).${unusedRedisUrlNote(Boolean(env.REDIS_URL))}`,
      "optimize",
    );
  }
  if (cluster !== null) {
    // Each message says what made this run a coordinator: with $SHOAL_REDIS_URL that is easy to forget.
    const why = `on the cluster (${clusterReason(cluster)})`;
    if (values.study === undefined) {
      throw new UsageError(`--study NAME is needed ${why}, so that a restarted coordinator can resume the study.`, "optimize");
    }
    if (values.trials === undefined) throw new UsageError(`--trials N is needed ${why}: it is the study's global budget.`, "optimize");
    if (values.jobs !== 1) {
      throw new UsageError(`--jobs is for the embedded mode; ${why}, start workers with shoal worker --concurrency N.`, "optimize");
    }
    for (const [name, value] of [["trial-timeout", "S"], ["trial-memory", "MB"]] as const) {
      if (values[name] !== undefined) throw new UsageError(`--${name} belongs to the workers ${why}: shoal worker --${name} ${value}.`, "optimize");
    }
  } else {
    for (const name of ["prefix", "queue", "lease-wait", "connect-timeout", "shutdown-grace"] as const) {
      if (values[name] !== undefined) throw new UsageError(`--${name} needs --redis (or $SHOAL_REDIS_URL).`, "optimize");
    }
  }
  if (values.trials === undefined && values.timeout === undefined) {
    throw new UsageError("give --trials N or --timeout S (or both) so the study knows when to end.", "optimize");
  }
  const objectiveModule = positionals[0] === undefined ? undefined : checkObjectiveModule(path.resolve(cwd, positionals[0]), "optimize");
  return {
    objectiveModule,
    redis:
      cluster === null
        ? undefined
        : {
            url: parseRedisFlag(cluster.url, "optimize"),
            source: cluster.source,
            prefix: values.prefix,
            queue: values.queue,
            leaseWaitSeconds: values["lease-wait"],
            connectTimeoutMs: connectTimeoutMs(values["connect-timeout"]),
            shutdownGraceMs: shutdownGraceMs(values["shutdown-grace"], DEFAULT_COORDINATOR_SHUTDOWN_GRACE_MS),
          },
    journal: values.storage === undefined ? undefined : path.resolve(cwd, values.storage),
    nTrials: values.trials,
    timeoutSeconds: values.timeout,
    directions: directionsFlags(values.direction, values.directions),
    sampler: values.sampler,
    grid: gridFlag(values.sampler, values.grid),
    constraintsAttr: constraintsAttrFlag(values.sampler, values["constraints-attr"]),
    seed: values.seed,
    jobs: values.jobs,
    trialTimeoutSeconds: values["trial-timeout"],
    trialMemoryMb: values["trial-memory"],
    studyName: values.study,
    logFormat: values["log-format"],
    outDir: values.out === undefined ? undefined : path.resolve(cwd, values.out),
    showProgressBar: !values["no-progress"],
    unusedRedisUrl: cluster === null && Boolean(env.REDIS_URL),
  };
}

/** --direction or --directions (its pattern checked it), not both; undefined when neither is given. */
function directionsFlags(direction: StudyDirection | undefined, directions: string | undefined): StudyDirection[] | undefined {
  if (direction !== undefined && directions !== undefined) {
    throw new UsageError("give --direction (one objective) or --directions (one per objective), not both.", "optimize");
  }
  if (directions !== undefined) return directions.split(",") as StudyDirection[];
  return direction === undefined ? undefined : [direction];
}

/** --storage is the embedded mode's: not with --redis, and with the objective module to run. */
function checkStorageFlag(storage: string | undefined, redis: string | undefined, modules: number): void {
  if (storage === undefined) return;
  if (redis !== undefined) {
    throw new UsageError(
      "--storage keeps an embedded study in a journal file, --redis runs the study on the cluster: give one of them.",
      "optimize",
    );
  }
  if (modules === 0) throw new UsageError("--storage needs the objective module, e.g. shoal optimize ./objective.ts --storage study.jsonl --trials 100.", "optimize");
}

/** createStudy's direction option for one objective (as before), directions for several, none when not given. */
function directionsOption(
  directions: readonly StudyDirection[] | undefined,
): { direction: StudyDirection } | { directions: readonly StudyDirection[] } | Record<string, never> {
  if (directions === undefined) return {};
  return directions.length === 1 ? { direction: directions[0]! } : { directions };
}

/** --constraints-attr, refused with a sampler that ignores constraints (as Optuna's RandomSampler has no constraints_func). */
function constraintsAttrFlag(sampler: OptimizeFlags["sampler"], attr: string | undefined): string | undefined {
  if (attr !== undefined && (sampler === "random" || sampler === "qmc" || sampler === "grid" || sampler === "cmaes")) {
    throw new UsageError(`--constraints-attr needs a sampler that uses constraints (tpe, nsga2, nsga3 or gp), got --sampler ${sampler}.`, "optimize");
  }
  return attr;
}

function makeSampler(command: OptimizeCommand): Sampler {
  const seed = command.seed === undefined ? {} : { seed: command.seed };
  if (command.sampler === "random") return new RandomSampler(seed);
  if (command.sampler === "qmc") return new QMCSampler(seed);
  if (command.sampler === "cmaes") return new CmaEsSampler(seed);
  if (command.sampler === "grid") return new GridSampler(command.grid as GridSearchSpace, seed);
  const options = { ...seed, ...(command.constraintsAttr === undefined ? {} : { constraintsFunc: constraintsFromUserAttr(command.constraintsAttr) }) };
  if (command.sampler === "nsga3") return new NSGAIIISampler(options);
  if (command.sampler === "gp") return new GPSampler(options);
  return command.sampler === "nsga2" ? new NSGAIISampler(options) : new TPESampler(options);
}

/** Runs `shoal optimize`: the whole study in this process, then the summary and the files. */
export async function runOptimize(command: OptimizeCommand, logger: Logger = createLogger({ format: command.logFormat })): Promise<number> {
  if (command.redis) return runCoordinatorCommand(command, command.redis, logger);
  const objectiveModule = command.objectiveModule as string;
  logger.info(
    { event: "optimize_mode", mode: "embedded", threads: command.jobs },
    embeddedModeLine({ studyName: command.studyName, jobs: command.jobs, unusedRedisUrl: command.unusedRedisUrl }),
  );
  // With --storage the study lives in the journal, and resumes there (Optuna's load_if_exists).
  const journal = command.journal === undefined ? undefined : JournalFileStorage.open(command.journal, { logger });
  const study = createStudy({
    ...directionsOption(command.directions),
    sampler: makeSampler(command),
    logger,
    ...(command.studyName === undefined ? {} : { studyName: command.studyName }),
    ...(journal === undefined ? {} : { storage: journal, loadIfExists: true }),
  });

  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      logger.warn("Interrupted: no new trials start; waiting for the running ones (Ctrl-C again to quit now).");
      study.stop();
    } else {
      process.exit(130);
    }
  };
  process.on("SIGINT", onSigint);
  try {
    await optimizeLocally(study, {
      objectiveModule,
      jobs: command.jobs,
      nTrials: command.nTrials,
      timeout: command.timeoutSeconds,
      trialTimeoutSeconds: command.trialTimeoutSeconds,
      trialMemoryMb: command.trialMemoryMb,
      showProgressBar: command.showProgressBar,
    });
  } finally {
    process.off("SIGINT", onSigint);
  }

  try {
    await finish(study, command.outDir);
  } finally {
    journal?.close();
  }
  return 0;
}

/**
 * Prints the summary and writes --out's files; then throws NoCompletedTrialError when the study
 * (all of it, earlier runs' trials included) has no COMPLETE trial.
 */
async function finish(study: Study, outDir: string | undefined): Promise<void> {
  process.stdout.write(formatSummary(study));
  if (outDir) {
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, "trials.json"), studyToJson(study, study.storage.getBestTrial(study.studyId)?.number ?? null));
    await writeFile(path.join(outDir, "trials.csv"), trialsToCsv(study.trials));
    process.stdout.write(`Wrote ${path.join(outDir, "trials.json")} and trials.csv\n`);
  }
  const noBest = noCompletedTrialDetail(study.getTrials());
  if (noBest !== null) throw new NoCompletedTrialError(study.studyName, noBest);
}

/** `shoal optimize --redis`: this process coordinates the study; workers run the trials. */
async function runCoordinatorCommand(
  command: OptimizeCommand,
  redis: NonNullable<OptimizeCommand["redis"]>,
  logger: Logger,
): Promise<number> {
  logger.info(
    {
      event: "optimize_mode",
      mode: "cluster",
      redis: redactRedisUrl(redis.url),
      source: redis.source,
      prefix: redis.prefix ?? DEFAULT_PREFIX,
      queue: redis.queue ?? DEFAULT_QUEUE,
    },
    clusterModeLine({
      studyName: command.studyName as string,
      target: { url: redis.url, source: redis.source },
      prefix: redis.prefix,
      queue: redis.queue,
      objectiveModule: command.objectiveModule,
      cwd: process.cwd(),
    }),
  );
  const abort = new AbortController();
  let signal: keyof typeof SIGNAL_EXIT_CODES = "SIGTERM";
  const onSignal = (received: keyof typeof SIGNAL_EXIT_CODES): void => {
    signal = received;
    logger.warn(
      `Interrupted: no new trials are enqueued; waiting up to ${redis.shutdownGraceMs / 1000} s for the running ones ` +
        "(--shutdown-grace; Ctrl-C again to quit now).",
    );
    abort.abort();
    process.once("SIGINT", () => process.exit(SIGNAL_EXIT_CODES.SIGINT));
  };
  const onSigint = (): void => onSignal("SIGINT");
  const onSigterm = (): void => onSignal("SIGTERM");
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigterm);
  try {
    const study = await runCoordinator({
      redisUrl: redis.url,
      prefix: redis.prefix,
      queue: redis.queue,
      leaseWaitMs: redis.leaseWaitSeconds === undefined ? undefined : redis.leaseWaitSeconds * 1000,
      connectTimeoutMs: redis.connectTimeoutMs,
      studyName: command.studyName as string,
      trialBudget: command.nTrials as number,
      timeoutSeconds: command.timeoutSeconds,
      ...directionsOption(command.directions),
      sampler: makeSampler(command),
      seed: command.seed ?? 0,
      objectiveId: command.objectiveModule ? await objectiveIdOf(command.objectiveModule) : null,
      logger,
      showProgressBar: command.showProgressBar,
      signal: abort.signal,
      shutdownGraceMs: redis.shutdownGraceMs,
    });
    await finish(study, command.outDir);
    return 0;
  } catch (error) {
    // Interrupted, and the wait for the running trials cut short: no summary (the study goes on), one line.
    if (!(error instanceof ShutdownCutShortError)) throw error;
    const { reason, running, redisDown } = error.cut;
    logger.warn({ event: "shutdown_cut_short", signal, reason, running, redisDown }, error.message);
    exitSoonAfterCutShort(SIGNAL_EXIT_CODES[signal]);
    return SIGNAL_EXIT_CODES[signal];
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
  }
}
