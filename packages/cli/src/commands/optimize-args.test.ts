import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { parseOptimizeArgs } from "./optimize.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const objective = path.relative(process.cwd(), fileURLToPath(import.meta.url));

describe("shoal optimize flags", () => {
  it("parses every flag into a typed command", () => {
    const cmd = parseOptimizeArgs([
      objective, "--trials", "20", "--timeout", "1.5", "--direction", "maximize", "--sampler", "random",
      "--seed", "7", "--jobs", "3", "--trial-timeout", "2", "--trial-memory", "512", "--study", "s", "--log-format", "json", "--out", "o", "--no-progress",
    ], process.cwd(), {});
    expect(cmd).toEqual({
      objectiveModule: path.resolve(objective),
      nTrials: 20,
      timeoutSeconds: 1.5,
      directions: ["maximize"],
      sampler: "random",
      seed: 7,
      jobs: 3,
      trialTimeoutSeconds: 2,
      trialMemoryMb: 512,
      studyName: "s",
      logFormat: "json",
      outDir: path.resolve("o"),
      showProgressBar: false,
      unusedRedisUrl: false,
    });
  });

  it("defaults to a minimizing TPE study with one job", () => {
    const cmd = parseOptimizeArgs([objective, "--trials", "5"]);
    expect(cmd).toMatchObject({ directions: undefined, sampler: "tpe", jobs: 1, logFormat: "pretty", showProgressBar: true });
  });

  it.each([
    [["--trials", "5"], /missing the objective module/],
    [[objective], /give --trials N or --timeout S/],
    [[objective, "--trials=-1"], /--trials must be a whole number >= 0, got "-1"/],
    [[objective, "--trials", "ten"], /--trials must be a whole number >= 0, got "ten"/],
    [[objective, "--trials", "5", "--jobs", "0"], /--jobs must be a whole number from 1 to 1024, got "0"/],
    [[objective, "--trials", "5", "--direction", "up"], /--direction must be one of minimize, maximize, got "up"/],
    [[objective, "--trials", "5", "--directions", "minimize,up"], /--directions must be a comma-separated list of minimize and maximize, e.g. minimize,maximize/],
    [[objective, "--trials", "5", "--direction", "minimize", "--directions", "minimize,maximize"], /give --direction \(one objective\) or --directions \(one per objective\), not both/],
    [[objective, "--trials", "5", "--sampler", "bogus"], /--sampler must be one of tpe, random, nsga2, nsga3, gp, cmaes, qmc, grid, got "bogus"/],
    [[objective, "--trials", "5", "--sampler", "grid"], /--sampler grid needs --grid JSON/],
    [[objective, "--trials", "5", "--grid", '{"x":[1]}'], /--grid is the grid of --sampler grid, got --sampler tpe/],
    [[objective, "--trials", "5", "--sampler", "grid", "--grid", "{x:1}"], /--grid must be a JSON object of each parameter's values/],
    [[objective, "--trials", "5", "--sampler", "grid", "--grid", '{"x":[]}'], /--grid must map each parameter to a non-empty array .* \(at x\)/],
    [[objective, "--trials", "5", "--timeout", "0"], /--timeout must be a number of seconds > 0, got "0"/],
    [[objective, "--trials", "5", "--trial-timeout", "x"], /--trial-timeout must be a number of seconds > 0/],
    [[objective, "--trials", "5", "--trial-memory", "16"], /--trial-memory must be a whole number from 32 to 65536, got "16"/],
    [[objective, "--trials", "5", "--trial-memory", "1.5"], /--trial-memory must be a whole number from 32 to 65536, got "1.5"/],
    [[objective, "--trials", "5", "--log-format", "xml"], /--log-format must be one of pretty, json/],
    [[objective, "--trials", "5", "--bogus"], /Unknown option '--bogus'/],
    [[objective, "--trials"], /Option '--trials <value>' argument missing/],
    [["./nope.ts", "--trials", "5"], /the objective module .*nope\.ts does not exist/],
    [[path.join(here, "..", "..", "package.json"), "--trials", "5"], /must be a \.js, \.mjs or \.ts file/],
  ])("rejects %j with a usage error saying what is wrong", (argv, message) => {
    expect(() => parseOptimizeArgs(argv as string[], process.cwd(), {})).toThrow(UsageError);
    expect(() => parseOptimizeArgs(argv as string[], process.cwd(), {})).toThrow(message);
  });

  it("takes --redis, --prefix, --queue and --lease-wait in coordinator mode, and refuses them without --redis", () => {
    const cmd = parseOptimizeArgs(["--redis", "redis://h:6379", "--study", "s", "--trials", "5", "--prefix", "p", "--queue", "q", "--lease-wait", "0"]);
    expect(cmd).toMatchObject({ objectiveModule: undefined, redis: { url: "redis://h:6379", prefix: "p", queue: "q", leaseWaitSeconds: 0 } });
    expect(parseOptimizeArgs([objective, "--redis", "redis://h", "--study", "s", "--trials", "5"])?.redis?.leaseWaitSeconds).toBeUndefined();
    expect(() => parseOptimizeArgs([objective, "--trials", "5", "--lease-wait", "3"], process.cwd(), {})).toThrow(
      "--lease-wait needs --redis (or $SHOAL_REDIS_URL).",
    );
    expect(() => parseOptimizeArgs(["--redis", "redis://h", "--study", "s", "--trials", "5", "--lease-wait=-1"])).toThrow(
      /--lease-wait must be a whole number >= 0, got "-1"/,
    );
  });

  it("leaves --trial-memory to the TrialRunner's default when absent, and to the workers on the cluster", () => {
    expect(parseOptimizeArgs([objective, "--trials", "5"], process.cwd(), {})?.trialMemoryMb).toBeUndefined();
    const cluster = [objective, "--redis", "redis://h", "--study", "s", "--trials", "5"];
    expect(() => parseOptimizeArgs([...cluster, "--trial-memory", "512"], process.cwd(), {})).toThrow(
      "--trial-memory belongs to the workers on the cluster (--redis is given): shoal worker --trial-memory MB.",
    );
    expect(() => parseOptimizeArgs([...cluster, "--trial-timeout", "5"], process.cwd(), {})).toThrow(
      "--trial-timeout belongs to the workers on the cluster (--redis is given): shoal worker --trial-timeout S.",
    );
  });

  it("bounds the first connection by --connect-timeout (default 5 s) in coordinator mode, and refuses it without --redis", () => {
    const cluster = ["--redis", "redis://h", "--study", "s", "--trials", "5"];
    expect(parseOptimizeArgs([...cluster, "--connect-timeout", "1.5"])?.redis?.connectTimeoutMs).toBe(1500);
    expect(parseOptimizeArgs(cluster)?.redis?.connectTimeoutMs).toBe(5000);
    expect(() => parseOptimizeArgs([...cluster, "--connect-timeout", "0"])).toThrow("--connect-timeout must be a number of seconds > 0");
    expect(() => parseOptimizeArgs([objective, "--trials", "5", "--connect-timeout", "3"], process.cwd(), {})).toThrow(
      "--connect-timeout needs --redis (or $SHOAL_REDIS_URL).",
    );
  });

  it("bounds a coordinator's shutdown by --shutdown-grace (default 30 s), and refuses it without --redis", () => {
    const cluster = ["--redis", "redis://h", "--study", "s", "--trials", "5"];
    expect(parseOptimizeArgs(cluster)?.redis?.shutdownGraceMs).toBe(30_000);
    expect(parseOptimizeArgs([...cluster, "--shutdown-grace", "1.5"])?.redis?.shutdownGraceMs).toBe(1500);
    expect(() => parseOptimizeArgs([...cluster, "--shutdown-grace", "0"])).toThrow("--shutdown-grace must be a number of seconds > 0");
    expect(() => parseOptimizeArgs([objective, "--trials", "5", "--shutdown-grace", "3"], process.cwd(), {})).toThrow(
      "--shutdown-grace needs --redis (or $SHOAL_REDIS_URL).",
    );
  });

  it("takes --storage FILE in the embedded mode, and refuses it with --redis or without a module", () => {
    const cmd = parseOptimizeArgs([path.resolve(objective), "--trials", "5", "--storage", "study.jsonl", "--study", "s"], "/work/x");
    expect(cmd).toMatchObject({ journal: "/work/x/study.jsonl", redis: undefined, studyName: "s", nTrials: 5 });
    expect(parseOptimizeArgs([objective, "--trials", "5"])?.journal).toBeUndefined();
    expect(() => parseOptimizeArgs([objective, "--trials", "5", "--storage", "f.jsonl", "--redis", "redis://h", "--study", "s"])).toThrow(
      "--storage keeps an embedded study in a journal file, --redis runs the study on the cluster: give one of them.",
    );
    expect(() => parseOptimizeArgs(["--storage", "f.jsonl", "--study", "s", "--trials", "5"], process.cwd(), { SHOAL_REDIS_URL: "redis://h" })).toThrow(
      /--storage needs the objective module/,
    );
    expect(() => parseOptimizeArgs([objective, "--trials", "5", "--storage="])).toThrow("--storage must name a journal file");
  });

  describe("the mode: the cluster with --redis or $SHOAL_REDIS_URL, never with $REDIS_URL alone", () => {
    const cluster = ["--study", "s", "--trials", "5"];

    it("coordinates on $SHOAL_REDIS_URL with an objective module too (the README's cluster block)", () => {
      const cmd = parseOptimizeArgs([objective, ...cluster], process.cwd(), { SHOAL_REDIS_URL: "redis://h:1" });
      expect(cmd).toMatchObject({ objectiveModule: path.resolve(objective), redis: { url: "redis://h:1", source: "$SHOAL_REDIS_URL" } });
      expect(parseOptimizeArgs(cluster, process.cwd(), { SHOAL_REDIS_URL: "redis://h:1" })?.redis?.url).toBe("redis://h:1");
    });

    it("prefers --redis to $SHOAL_REDIS_URL", () => {
      const cmd = parseOptimizeArgs([objective, "--redis", "redis://flag", ...cluster], process.cwd(), { SHOAL_REDIS_URL: "redis://env" });
      expect(cmd?.redis).toMatchObject({ url: "redis://flag", source: "--redis" });
    });

    it("stays embedded with $REDIS_URL alone, or an empty $SHOAL_REDIS_URL, and says $REDIS_URL is unused", () => {
      const cmd = parseOptimizeArgs([objective, ...cluster], process.cwd(), { REDIS_URL: "redis://h:1", SHOAL_REDIS_URL: "" });
      expect(cmd).toMatchObject({ redis: undefined, unusedRedisUrl: true });
      expect(() => parseOptimizeArgs(cluster, process.cwd(), { REDIS_URL: "redis://h:1" })).toThrow(
        /missing the objective module.* \$REDIS_URL is set but not used/,
      );
    });

    it("names what made the run a coordinator in its usage errors", () => {
      const env = { SHOAL_REDIS_URL: "redis://h:1" };
      expect(() => parseOptimizeArgs([objective, "--trials", "5"], process.cwd(), env)).toThrow(
        "--study NAME is needed on the cluster ($SHOAL_REDIS_URL is set), so that a restarted coordinator can resume the study.",
      );
      expect(() => parseOptimizeArgs([objective, ...cluster, "--jobs", "2"], process.cwd(), env)).toThrow(
        /--jobs is for the embedded mode; on the cluster \(\$SHOAL_REDIS_URL is set\)/,
      );
      expect(() => parseOptimizeArgs([objective, "--study", "s", "--redis", "redis://h"], process.cwd(), {})).toThrow(
        "--trials N is needed on the cluster (--redis is given): it is the study's global budget.",
      );
    });
  });

  it("returns null for --help", () => {
    expect(parseOptimizeArgs(["--help"])).toBeNull();
  });
});
