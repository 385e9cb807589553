import { existsSync } from "node:fs";
import path from "node:path";
import { resolveRedisUrl } from "@shoal/redis";
import { readStudyJson, StudySnapshot, writeReport } from "@shoal/viz";
import { UsageError } from "../errors.js";
import { connectTimeoutMs, defineFlags, flag, formatOptions, parseFlags, parseRedisFlag, redisFlags, type FlagValues } from "../flags.js";
import { readStudyTrials, withQueryRedis } from "../redis-queries.js";
import { readJournalStudy } from "./journal-queries.js";

const reportFlags = defineFlags({
  out: flag.text({ value: "DIR", rule: "must name a directory", help: "where to write the report" }),
  from: flag.text({
    value: "PATH",
    rule: "must name a trials.json file or its directory",
    help: "the study: a trials.json written by `shoal optimize --out`, or its\ndirectory (default: DIR/trials.json)",
  }),
  redis: { ...redisFlags.redis, help: "read the study from Redis instead (with --study NAME; default\n$SHOAL_REDIS_URL or $REDIS_URL once --study is given)" },
  study: flag.text({ value: "NAME", help: "the study to read from Redis (or from --storage FILE)" }),
  prefix: redisFlags.prefix,
  "connect-timeout": redisFlags["connect-timeout"],
  storage: flag.text({
    value: "FILE",
    rule: "must name a journal file",
    help: "read the study from this journal file (shoal optimize --storage) instead;\n--study NAME may be left out when it holds one study",
  }),
  "objective-names": flag.text({
    value: "NAMES",
    rule: "must be a comma-separated list of names, one per objective, e.g. accuracy,size",
    pattern: /^[^,]+(?:,[^,]+)*$/,
    help: "the objectives' names on the plots' axes and in the summary, comma-separated,\none per objective (default Objective 0, Objective 1, ...)",
  }),
  "reference-point": flag.text({
    value: "NUMS",
    rule: "must be a comma-separated list of numbers, one per objective, e.g. 0,1000",
    pattern: /^\s*-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?\s*(?:,\s*-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?\s*)*$/i,
    help: "the hypervolume history's reference point, in the objectives' own terms,\none number per objective (default: each objective's worst feasible value moved\n10% of its range away from the front)",
  }),
  png: flag.boolean({ help: "also render each plot as DIR/<plot>.png, through headless Chromium" }),
  browser: flag.text({
    value: "PATH",
    rule: "must be the path of a Chromium executable",
    help: "the Chromium or Chrome to render PNGs with (default /usr/bin/chromium)",
  }),
});

export const REPORT_USAGE = `Usage: shoal report --out DIR [options]

Writes a study's plots as an HTML report that opens offline: DIR/report.html (a summary with
the best trial, trial counts by state and parameter importances, then every plot) and one HTML
page per plot. A multi-objective study's report lists the Pareto front instead of a best trial
and adds the Pareto-front plot, the hypervolume history (reference point: each objective's
worst feasible value plus 10% of its range) and each objective's plots.

${formatOptions(reportFlags, 20)}`;

/** `shoal report`'s flags after validation: plain, typed, defaulted. */
export interface ReportCommand {
  outDir: string;
  /** The trials.json (or the directory holding it) to read the study from, or a study in Redis. */
  from: string | { redisUrl: string; studyName: string; prefix: FlagValues<typeof reportFlags>["prefix"]; connectTimeoutMs: number } | { journal: string; studyName: string };
  png: boolean;
  browser: string | undefined;
  /** --objective-names, split; undefined: the default names. */
  objectiveNames: string[] | undefined;
  /** --reference-point, split; undefined: the default reference point. */
  referencePoint: number[] | undefined;
}

/** Validates `shoal report` arguments; returns null when help was asked for. */
export function parseReportArgs(argv: readonly string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): ReportCommand | null {
  const { values, positionals } = parseFlags("report", argv, reportFlags);
  if (values.help) return null;
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals.join(" ")}: the study comes from --from PATH.`, "report");
  if (values.out === undefined) throw new UsageError("missing --out DIR, the directory to write report.html into.", "report");
  if (values.browser !== undefined && values.png !== true) throw new UsageError("--browser is only used with --png.", "report");
  const outDir = path.resolve(cwd, values.out);
  const objectiveNames = values["objective-names"]?.split(",").map((n) => n.trim());
  const referencePoint = values["reference-point"]?.split(",").map(Number);
  const browser = values.browser === undefined ? undefined : path.resolve(cwd, values.browser);
  if (values.storage !== undefined) {
    if (values.redis !== undefined || values.from !== undefined || values.prefix !== undefined) {
      throw new UsageError("--storage FILE reads the study from a journal file: give it without --from, --redis and --prefix.", "report");
    }
    return { outDir, from: { journal: path.resolve(cwd, values.storage), studyName: values.study ?? "" }, png: values.png, browser, objectiveNames, referencePoint };
  }
  if (values.redis !== undefined || values.study !== undefined) {
    if (values.study === undefined) throw new UsageError("--redis URL needs --study NAME, the study to read.", "report");
    if (values.from !== undefined) throw new UsageError("give either --from PATH or --study NAME (from Redis), not both.", "report");
    // As `shoal status` and `shoal trials`: --redis, else $SHOAL_REDIS_URL, else $REDIS_URL.
    let url: string;
    try {
      url = resolveRedisUrl(values.redis, env);
    } catch (error) {
      throw new UsageError((error as Error).message, "report");
    }
    return {
      outDir,
      from: { redisUrl: parseRedisFlag(url, "report"), studyName: values.study, prefix: values.prefix, connectTimeoutMs: connectTimeoutMs(values["connect-timeout"]) },
      png: values.png,
      browser,
      objectiveNames,
      referencePoint,
    };
  }
  for (const name of ["prefix", "connect-timeout"] as const) {
    if (values[name] !== undefined) throw new UsageError(`--${name} needs --redis.`, "report");
  }
  const from = values.from === undefined ? path.join(outDir, "trials.json") : path.resolve(cwd, values.from);
  if (!existsSync(from)) {
    throw new UsageError(
      values.from === undefined
        ? `no study in ${outDir}: write one there with \`shoal optimize <objective> --trials N --out ${values.out}\`, or give --from PATH.`
        : `--from ${values.from}: no such file or directory.`,
      "report",
    );
  }
  return { outDir, from, png: values.png, browser, objectiveNames, referencePoint };
}

/** Runs `shoal report`: reads the study, writes the report and prints where it is. */
export async function runReport(command: ReportCommand): Promise<number> {
  const from = command.from;
  const study =
    typeof from === "string" ? await readStudyJson(from) : "journal" in from ? readJournalReport(from) : await readRedisStudy(from);
  const names = command.objectiveNames;
  if (names !== undefined && names.length !== study.directions.length) {
    throw new UsageError(`--objective-names has ${names.length} names, and study "${study.studyName}" has ${study.directions.length} objectives: give one per objective.`, "report");
  }
  const point = command.referencePoint;
  if (point !== undefined && point.length !== study.directions.length) {
    throw new UsageError(`--reference-point has ${point.length} numbers, and study "${study.studyName}" has ${study.directions.length} objectives: give one per objective.`, "report");
  }
  if (point !== undefined && study.directions.length === 1) {
    throw new UsageError(`--reference-point is for a multi-objective study's hypervolume; study "${study.studyName}" has one objective.`, "report");
  }
  const result = await writeReport(study, {
    outDir: command.outDir,
    png: command.png,
    browser: command.browser,
    ...(names === undefined ? {} : { objectiveNames: names }),
    ...(point === undefined ? {} : { referencePoint: point }),
  });
  const pages = Object.keys(result.plotFiles).length;
  process.stdout.write(
    `Wrote the report of study "${study.studyName}" (${result.summary.trialCount} trials): ${result.reportFile}\n` +
      `and ${pages} plot pages${command.png ? ` and ${result.pngFiles.length} PNG images` : ""} in ${command.outDir}\n`,
  );
  return 0;
}

function readJournalReport(from: { journal: string; studyName: string }): StudySnapshot {
  const { studyName, directions, trials } = readJournalStudy(from.journal, from.studyName, "report");
  return new StudySnapshot(studyName, directions, trials);
}

async function readRedisStudy(from: { redisUrl: string; studyName: string; prefix: string | undefined; connectTimeoutMs: number }): Promise<StudySnapshot> {
  const { directions, trials } = await withQueryRedis(from.redisUrl, from.connectTimeoutMs, (redis) => readStudyTrials(redis, from.studyName, from.prefix, "report"));
  return new StudySnapshot(from.studyName, directions, trials);
}
