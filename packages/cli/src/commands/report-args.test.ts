import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { parseReportArgs } from "./report.js";

describe("shoal report's study source", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "shoal-report-args-"));
    await writeFile(path.join(dir, "trials.json"), "{}");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const parse = (argv: string[], env: NodeJS.ProcessEnv) => parseReportArgs(["--out", dir, ...argv], dir, env);

  it("reads the study from $SHOAL_REDIS_URL, then $REDIS_URL, as status and trials do, once --study is given", () => {
    const from = (env: NodeJS.ProcessEnv, argv: string[] = []) => parse(["--study", "s", ...argv], env)?.from;
    expect(from({ SHOAL_REDIS_URL: "redis://shoal:1", REDIS_URL: "redis://other:2" })).toEqual({ redisUrl: "redis://shoal:1", studyName: "s", prefix: undefined, connectTimeoutMs: 5000 });
    expect(from({ REDIS_URL: "redis://other:2" })).toMatchObject({ redisUrl: "redis://other:2" });
    expect(from({ SHOAL_REDIS_URL: "redis://shoal:1" }, ["--redis", "redis://flag:3", "--prefix", "p", "--connect-timeout", "2"])).toEqual({
      redisUrl: "redis://flag:3", studyName: "s", prefix: "p", connectTimeoutMs: 2000,
    });
  });

  it("--objective-names: one name per objective, comma-separated", () => {
    expect(parse(["--objective-names", "accuracy, size"], {})?.objectiveNames).toEqual(["accuracy", "size"]);
    expect(parse([], {})?.objectiveNames).toBeUndefined();
    expect(() => parse(["--objective-names", "a,,b"], {})).toThrow("--objective-names must be a comma-separated list of names, one per objective");
  });

  it("--reference-point: one number per objective, comma-separated", () => {
    expect(parse(["--reference-point", "0, 1e3,-2.5"], {})?.referencePoint).toEqual([0, 1000, -2.5]);
    expect(parse([], {})?.referencePoint).toBeUndefined();
    expect(() => parse(["--reference-point", "1,x"], {})).toThrow("--reference-point must be a comma-separated list of numbers, one per objective");
  });

  it("still reads DIR/trials.json without --study, whatever the environment says", () => {
    expect(parse([], { SHOAL_REDIS_URL: "redis://shoal:1" })?.from).toBe(path.join(dir, "trials.json"));
  });

  it.each([
    [["--study", "s"], {}, "No Redis URL: pass --redis redis://host:6379, or set SHOAL_REDIS_URL or REDIS_URL."],
    [["--redis", "redis://h"], {}, "--redis URL needs --study NAME, the study to read."],
    [["--study", "s", "--from", "x"], { SHOAL_REDIS_URL: "redis://h" }, "give either --from PATH or --study NAME (from Redis), not both."],
    [["--study", "s"], { SHOAL_REDIS_URL: "http://h" }, "Invalid Redis URL http://h"],
    [["--connect-timeout", "2"], {}, "--connect-timeout needs --redis."],
  ])("refuses %j with %j", (argv, env, message) => {
    expect(() => parse(argv, env)).toThrow(UsageError);
    expect(() => parse(argv, env)).toThrow(message);
  });
});
