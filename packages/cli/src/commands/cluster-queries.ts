import { frozenTrialToJSON, pyFloat, pyParams, type FrozenTrial } from "@shoal/core";
import { readClusterStatus, type ClusterStatus } from "@shoal/coordinator";
import { countRunningTrials, listStudyNames, readStudyHash, resolveRedisUrl, ShoalKeys } from "@shoal/redis";
import path from "node:path";
import { UsageError } from "../errors.js";
import { directionsLabel, paretoFrontLines, valuesLabel } from "../output/directions.js";
import { connectTimeoutMs, defineFlags, flag, parseFlags, parseRedisFlag, redisFlags } from "../flags.js";
import { trialsToCsv } from "../output/trials-csv.js";
import { readStudyTrials, withQueryRedis } from "../redis-queries.js";
import { journalStatus, listJournalStudies, readJournalStudy } from "./journal-queries.js";

export const STATUS_USAGE = `Usage: shoal status --redis URL --study NAME [--prefix P] [--queue NAME] [--connect-timeout S] [--format text|json]
       shoal status --storage FILE [--study NAME] [--format text|json]

The study's trials by state, its queue's depth, its running trials and their workers, the live
workers, the coordinator's lease and the best trial, read from Redis (waiting at most
--connect-timeout S, default 5, for it to answer). With --storage, the study's trials by state,
its running trials and the best trial, read from the journal file (--study may be left out when
the file holds one study).`;

export const TRIALS_USAGE = `Usage: shoal trials --redis URL --study NAME [--prefix P] [--queue NAME] [--connect-timeout S] [--format table|json|csv]
       shoal trials --storage FILE [--study NAME] [--format table|json|csv]

Lists the study's trials; a running trial shows the worker its job is on (with --storage, the
process that runs it).`;

export const STUDIES_USAGE = `Usage: shoal studies --redis URL [--prefix P] [--connect-timeout S] [--format table|json]
       shoal studies --storage FILE [--format table|json]

Lists the studies under the prefix, or in the journal file.`;

function queryFlags<const F extends readonly [string, ...string[]]>(formats: F) {
  return defineFlags({
    // May be empty: resolveRedisUrl then says there is no Redis URL, as these commands always have.
    redis: flag.text({ value: "URL", help: redisFlags.redis.help, allowEmpty: true }),
    study: flag.text({ value: "NAME", help: "the study to read" }),
    prefix: redisFlags.prefix,
    queue: redisFlags.queue,
    "connect-timeout": redisFlags["connect-timeout"],
    format: flag.choice({ value: formats.join("|"), choices: formats, default: formats[0], help: `one of ${formats.join(", ")} (default {default})` }),
    storage: flag.text({ value: "FILE", rule: "must name a journal file", help: "read the study from this journal file (shoal optimize --storage) instead" }),
  });
}

/** A read-only query's validated flags. */
export interface QueryCommand<F extends string> {
  redisUrl: string;
  studyName: string;
  prefix: string | undefined;
  queue: string | undefined;
  format: F;
  /** The journal file to read instead of Redis (`--storage`, resolved); then redisUrl is "". */
  journal: string | undefined;
  /** The connection's bound (--connect-timeout). */
  connectTimeoutMs: number;
}

function parseQuery<const F extends readonly [string, ...string[]]>(
  command: string,
  argv: readonly string[],
  formats: F,
  needsStudy: boolean,
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): QueryCommand<F[number]> | null {
  const { values, positionals } = parseFlags(command, argv, queryFlags(formats));
  if (values.help) return null;
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}.`, command);
  if (values.storage !== undefined) {
    for (const name of ["redis", "prefix", "queue", "connect-timeout"] as const) {
      if (values[name] !== undefined) throw new UsageError(`--${name} is for a study in Redis; --storage reads a journal file: give one of them.`, command);
    }
    // --study may be left out: the journal's only study is meant (journal-queries.ts says so when there are several).
    return { redisUrl: "", studyName: values.study ?? "", prefix: undefined, queue: undefined, format: values.format, journal: path.resolve(cwd, values.storage), connectTimeoutMs: 0 };
  }
  if (needsStudy && values.study === undefined) throw new UsageError("--study NAME is needed.", command);
  let url: string;
  try {
    url = resolveRedisUrl(values.redis, env);
  } catch (error) {
    throw new UsageError((error as Error).message, command);
  }
  return { redisUrl: parseRedisFlag(url, command), studyName: values.study ?? "", prefix: values.prefix, queue: values.queue, format: values.format, journal: undefined, connectTimeoutMs: connectTimeoutMs(values["connect-timeout"]) };
}

export const parseStatusArgs = (argv: readonly string[], env = process.env) => parseQuery("status", argv, ["text", "json"] as const, true, env);
export const parseTrialsArgs = (argv: readonly string[], env = process.env) => parseQuery("trials", argv, ["table", "json", "csv"] as const, true, env);
export const parseStudiesArgs = (argv: readonly string[], env = process.env) => parseQuery("studies", argv, ["table", "json"] as const, false, env);


function ago(date: Date | null): string {
  return date ? `${((Date.now() - date.getTime()) / 1000).toFixed(1)} s` : "queued";
}

/** The human form of `shoal status`. */
export function formatStatus(s: ClusterStatus): string {
  const lines = [
    `Study ${s.studyName} (${directionsLabel(s.directions)})${s.objective ? `, objective ${s.objective}` : ""}`,
    `Coordinator: ${s.coordinator ? `${s.coordinator.holder} (lease ${(s.coordinator.ttlMs / 1000).toFixed(1)} s)` : "none"}`,
    `Trials: ${s.trials.length} (${s.counts.COMPLETE} complete, ${s.counts.PRUNED} pruned, ${s.counts.FAIL} failed, ${s.counts.RUNNING} running, ${s.counts.WAITING} waiting)`,
    `Queue "${s.queue.name}": ${s.queue.waiting} waiting, ${s.queue.active} active, ${s.queue.delayed} delayed, ${s.queue.failed} failed, ${s.queue.completed} completed`,
    ...(s.directions.length > 1
      ? paretoFrontLines(s.paretoFront)
      : [
          s.best
            ? `Best: trial ${s.best.number} with value ${pyFloat(s.best.value as number)} and parameters ${pyParams(s.best.params, s.best.distributions)}`
            : "Best: none yet (no completed trial)",
        ]),
    `Running trials (${s.running.length}):`,
    ...s.running.map((r) => `  #${r.number}  ${r.worker ?? "(not started)"}  ${ago(r.since)}  ${pyParams(r.params, r.distributions)}`),
    `Workers (${s.workers.length}):`,
    ...s.workers.map((w) => `  ${w.id}  ${w.state}  ${w.slots - w.free}/${w.slots} busy  pid ${w.pid}  ${w.objective}`),
  ];
  return lines.join("\n") + "\n";
}

function statusJson(s: ClusterStatus): string {
  const { trials: _omit, best, paretoFront, ...rest } = s;
  const single = s.directions.length === 1 ? { direction: s.directions[0] } : {};
  return JSON.stringify({ ...single, ...rest, best: best ? frozenTrialToJSON(best) : null, paretoFront: paretoFront.map((t) => t.number) }, null, 2) + "\n";
}

/** `shoal status`. */
export async function runStatus(c: QueryCommand<"text" | "json">): Promise<number> {
  if (c.journal !== undefined) return journalStatus(c.journal, c.studyName, c.format);
  const status = await withQueryRedis(c.redisUrl, c.connectTimeoutMs, (redis) =>
    readClusterStatus(redis, { studyName: c.studyName, ...(c.prefix ? { prefix: c.prefix } : {}), ...(c.queue ? { queue: c.queue } : {}) }),
  );
  process.stdout.write(c.format === "json" ? statusJson(status) : formatStatus(status));
  return 0;
}

/** A fixed-width table of trials (a multi-objective study's values as `[v0, v1]`). */
export function formatTrialsTable(trials: readonly FrozenTrial[]): string {
  const multi = trials.some((t) => (t.values?.length ?? 0) > 1);
  const rows = trials.map((t) => [
    String(t.number),
    t.state,
    multi ? (t.values === null ? "" : valuesLabel(t.values)) : t.value === null ? "" : pyFloat(t.value),
    t.duration === null ? "" : `${(t.duration / 1000).toFixed(2)}s`,
    typeof t.systemAttrs.worker === "string" ? t.systemAttrs.worker : "",
    pyParams(t.params, t.distributions),
  ]);
  const header = ["number", "state", multi ? "values" : "value", "duration", "worker", "params"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join("  ");
  return [fmt(header), ...rows.map(fmt)].join("\n") + "\n";
}

/** `shoal trials`. */
export async function runTrials(c: QueryCommand<"table" | "json" | "csv">): Promise<number> {
  const { trials } =
    c.journal !== undefined
      ? readJournalStudy(c.journal, c.studyName, "trials")
      : await withQueryRedis(c.redisUrl, c.connectTimeoutMs, (redis) => readStudyTrials(redis, c.studyName, c.prefix, "trials", c.queue));
  const out =
    c.format === "json" ? JSON.stringify(trials.map(frozenTrialToJSON), null, 1) + "\n" : c.format === "csv" ? trialsToCsv(trials) : formatTrialsTable(trials);
  process.stdout.write(out);
  return 0;
}

/** `shoal studies`. */
export async function runStudies(c: QueryCommand<"table" | "json">): Promise<number> {
  const studies = c.journal !== undefined ? listJournalStudies(c.journal) : await withQueryRedis(c.redisUrl, c.connectTimeoutMs, async (redis) => {
    const keys = new ShoalKeys(c.prefix);
    const names = await listStudyNames(redis, keys);
    return Promise.all(
      names.map(async (name) => {
        const h = await readStudyHash(redis, keys, name);
        const running = await countRunningTrials(redis, keys, name);
        return {
          name,
          direction: h ? directionsLabel(h.directions) : "?",
          trials: h?.nextNumber ?? 0,
          running,
          bestTrial: h?.bestTrial ?? null,
          bestValue: h?.bestValue ?? null,
          createdAt: h?.createdAt ?? null,
        };
      }),
    );
  });
  if (c.format === "json") {
    process.stdout.write(JSON.stringify(studies, null, 2) + "\n");
    return 0;
  }
  const header = ["study", "direction", "trials", "running", "best value", "best trial", "created"];
  const rows = studies.map((s) => [s.name, s.direction, String(s.trials), String(s.running), s.bestValue === null ? "" : pyFloat(s.bestValue), s.bestTrial === null ? "" : String(s.bestTrial), s.createdAt ?? ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] as number)).join("  ").trimEnd();
  process.stdout.write([fmt(header), ...rows.map(fmt)].join("\n") + "\n");
  return 0;
}
