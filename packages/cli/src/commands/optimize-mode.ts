import path from "node:path";
import { DEFAULT_PREFIX, DEFAULT_QUEUE, redactRedisUrl } from "@shoal/redis";

/**
 * Where `shoal optimize` finds its cluster, and what said so. The one rule: `--redis URL`, else a
 * non-empty `$SHOAL_REDIS_URL`, makes this process the study's coordinator, with or without an
 * objective module; nothing else does. The generic `$REDIS_URL` never switches the mode: too many
 * machines and test runners set it for something else, and a study that silently went to a
 * cluster (or silently stayed here while workers waited) is the mistake this rule exists to stop.
 */
export interface ClusterTarget {
  url: string;
  /** What chose the cluster, named in the start line and in usage errors. */
  source: "--redis" | "$SHOAL_REDIS_URL";
}

/** The cluster `shoal optimize` coordinates on, or null for the embedded mode (see ClusterTarget). */
export function resolveClusterTarget(flag: string | undefined, env: NodeJS.ProcessEnv): ClusterTarget | null {
  if (flag !== undefined) return { url: flag, source: "--redis" };
  // Empty counts as unset, so `SHOAL_REDIS_URL= shoal optimize ...` runs one study here.
  if (env.SHOAL_REDIS_URL) return { url: env.SHOAL_REDIS_URL, source: "$SHOAL_REDIS_URL" };
  return null;
}

/** "--redis is given" or "$SHOAL_REDIS_URL is set", for messages that say why this run is on the cluster. */
export function clusterReason(target: ClusterTarget): string {
  return target.source === "--redis" ? "--redis is given" : "$SHOAL_REDIS_URL is set";
}

/** A note for the embedded mode when $REDIS_URL is set (`redisUrlSet`), so nobody expects it to be used. */
export function unusedRedisUrlNote(redisUrlSet: boolean): string {
  return redisUrlSet ? " $REDIS_URL is set but not used: pass --redis URL or set $SHOAL_REDIS_URL to coordinate on a cluster." : "";
}

/** The objective module as a user would type it: relative to the working directory when inside it. */
function shownModule(objectiveModule: string, cwd: string): string {
  const relative = path.relative(cwd, objectiveModule);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : objectiveModule;
}

/** The start line of a study coordinated on the cluster: where (masked URL, prefix, queue) and what the workers must run. */
export function clusterModeLine(options: {
  studyName: string;
  target: ClusterTarget;
  prefix: string | undefined;
  queue: string | undefined;
  objectiveModule: string | undefined;
  cwd: string;
}): string {
  const worker = options.objectiveModule === undefined ? "<objective-module>" : shownModule(options.objectiveModule, options.cwd);
  return (
    `Coordinating study "${options.studyName}" on the cluster at ${redactRedisUrl(options.target.url)} (from ${options.target.source}), ` +
    `prefix "${options.prefix ?? DEFAULT_PREFIX}", queue "${options.queue ?? DEFAULT_QUEUE}": ` +
    `the trials run on workers started with \`shoal worker ${worker}\` against that Redis.`
  );
}

/** The start line of a study run in this process. */
export function embeddedModeLine(options: { studyName: string | undefined; jobs: number; unusedRedisUrl: boolean }): string {
  const study = options.studyName === undefined ? "the study" : `study "${options.studyName}"`;
  return `Running ${study} in this process (embedded, ${options.jobs} thread${options.jobs === 1 ? "" : "s"}, no Redis).${unusedRedisUrlNote(options.unusedRedisUrl)}`;
}
