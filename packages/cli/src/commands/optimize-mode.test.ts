import path from "node:path";
import { describe, expect, it } from "vitest";
import { clusterModeLine, embeddedModeLine, resolveClusterTarget } from "./optimize-mode.js";

describe("shoal optimize's mode", () => {
  it("is the cluster for --redis or $SHOAL_REDIS_URL, and never for $REDIS_URL", () => {
    expect(resolveClusterTarget("redis://a", { SHOAL_REDIS_URL: "redis://b" })).toEqual({ url: "redis://a", source: "--redis" });
    expect(resolveClusterTarget(undefined, { SHOAL_REDIS_URL: "redis://b", REDIS_URL: "redis://c" })).toEqual({ url: "redis://b", source: "$SHOAL_REDIS_URL" });
    expect(resolveClusterTarget(undefined, { REDIS_URL: "redis://c" })).toBeNull();
    expect(resolveClusterTarget(undefined, { SHOAL_REDIS_URL: "" })).toBeNull();
  });

  it("names the cluster with the password masked, the prefix, the queue and what workers must run", () => {
    const line = clusterModeLine({
      studyName: "iris",
      target: { url: "redis://u:secret@h:6380", source: "$SHOAL_REDIS_URL" },
      prefix: undefined,
      queue: "q",
      objectiveModule: path.resolve("examples/o.ts"),
      cwd: process.cwd(),
    });
    expect(line).toBe(
      'Coordinating study "iris" on the cluster at redis://***@h:6380 (from $SHOAL_REDIS_URL), prefix "shoal", queue "q": ' +
        "the trials run on workers started with `shoal worker examples/o.ts` against that Redis.",
    );
    expect(line).not.toContain("secret");
    const without = clusterModeLine({ studyName: "s", target: { url: "redis://h", source: "--redis" }, prefix: "p", queue: undefined, objectiveModule: undefined, cwd: "/" });
    expect(without).toContain('prefix "p", queue "trials": the trials run on workers started with `shoal worker <objective-module>`');
  });

  it("names this process and its threads in the embedded mode", () => {
    expect(embeddedModeLine({ studyName: undefined, jobs: 1, unusedRedisUrl: false })).toBe("Running the study in this process (embedded, 1 thread, no Redis).");
    expect(embeddedModeLine({ studyName: "s", jobs: 4, unusedRedisUrl: true })).toBe(
      'Running study "s" in this process (embedded, 4 threads, no Redis). $REDIS_URL is set but not used: pass --redis URL or set $SHOAL_REDIS_URL to coordinate on a cluster.',
    );
  });
});
