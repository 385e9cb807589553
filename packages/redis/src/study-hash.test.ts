import { useTestRedis } from "@shoal/testing";
import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { MalformedPayloadError } from "./errors.js";
import { ShoalKeys } from "./keys.js";
import { trialEndOf, trialResultSchema, type TrialResult } from "./schemas.js";
import {
  bestTrialFields,
  ensureStudyEpoch,
  markStudyReported,
  newStudyFields,
  parseStudyHash,
  readStudyHash,
  setStudyObjective,
  studyHashFields,
  studyUserAttrFields,
  trialCountFields,
} from "./study-hash.js";
import { readTrialProgress, writeIntermediateValue } from "./trial-values.js";

describe("the study hash", () => {
  it("parses back every field it writes", () => {
    const raw = {
      ...newStudyFields(["maximize"], new Date("2026-12-01T00:00:00.000Z"), "e1"),
      ...trialCountFields(7),
      ...bestTrialFields({ number: 3, value: 0.25 }),
      ...studyUserAttrFields("owner", { team: "ml" }),
    };
    expect(parseStudyHash("study hash s", raw)).toMatchObject({
      directions: ["maximize"],
      createdAt: "2026-12-01T00:00:00.000Z",
      nextNumber: 7,
      bestTrial: 3,
      bestValue: 0.25,
      reported: false,
      userAttrs: { owner: { team: "ml" } },
    });
  });

  it("writes a whole hash (a restored study's) that parses back to what it was given", () => {
    const content = {
      directions: ["minimize", "maximize"], createdAt: "2026-12-01T00:00:00.000Z", nextNumber: 9, best: { number: 4, value: -1.5 },
      objective: "o.mjs@12", reported: true, epoch: "abcd", userAttrs: { k: [1, 2] },
    } as const;
    expect(studyHashFields(content).direction).toBe("minimize,maximize");
    expect(parseStudyHash("study hash s", studyHashFields(content))).toEqual({
      directions: ["minimize", "maximize"], createdAt: content.createdAt, nextNumber: 9, bestTrial: 4, bestValue: -1.5,
      objective: "o.mjs@12", reported: true, epoch: "abcd", userAttrs: { k: [1, 2] },
    });
    const bare = parseStudyHash("study hash s", studyHashFields({ ...content, best: null, objective: null, reported: false, userAttrs: {} }));
    expect(bare).toMatchObject({ bestTrial: null, reported: false, userAttrs: {} });
    expect(bare).not.toHaveProperty("objective");
  });

  it("names the bad field of a malformed hash", () => {
    expect(() => parseStudyHash("study hash s", { createdAt: "x" })).toThrow(MalformedPayloadError);
    expect(() => parseStudyHash("study hash s", { createdAt: "x" })).toThrow(/field "direction"/);
    expect(() => parseStudyHash("study hash s", { ...newStudyFields(["minimize"], new Date(), "e1"), direction: "minimize,sideways" })).toThrow(/field "direction\.1": Invalid option/);
    const bad = { ...newStudyFields(["minimize"], new Date(), "e1"), "userAttr:k": "{nope" };
    expect(() => parseStudyHash("study hash s", bad)).toThrow('Malformed study hash s in Redis: field "userAttr:k": is not JSON');
  });
});

describe("a worker's reads and writes", () => {
  const env = useTestRedis();
  let redis: Redis;
  let keys: ShoalKeys;
  beforeAll(() => {
    redis = env.redis;
    keys = new ShoalKeys(env.prefix);
  });

  it("stamps the objective and the reported flag, and reads trials' progress", async () => {
    await redis.hset(keys.study("w"), newStudyFields(["minimize"], new Date(), "e1"));
    expect((await readStudyHash(redis, keys, "w"))?.reported).toBe(false);
    await setStudyObjective(redis, keys, "w", "obj@abc");
    await markStudyReported(redis, keys, "w");
    expect(await readStudyHash(redis, keys, "w")).toMatchObject({ objective: "obj@abc", reported: true });
    expect(await readStudyHash(redis, keys, "missing")).toBeNull();
    // An epoch given only to an existing hash without one; a missing hash is not created.
    expect(await ensureStudyEpoch(redis, keys, "w", "new")).toBe("e1");
    expect(await ensureStudyEpoch(redis, keys, "missing", "new")).toBeNull();
    expect(await redis.exists(keys.study("missing"))).toBe(0);

    await redis.hset(keys.trial("w", 0), { state: "COMPLETE", value: "1.5" });
    await redis.hset(keys.trial("w", 1), { state: "RUNNING", value: "" });
    await redis.hset(keys.trial("w", 2), { state: "not-a-state" });
    await writeIntermediateValue(redis, keys, "w", 0, 3, 0.5);
    await writeIntermediateValue(redis, keys, "w", 1, 0, 2);
    expect(await readTrialProgress(redis, keys, "w", [0, 1, 2, 3])).toEqual([
      { number: 0, state: "COMPLETE", value: 1.5, intermediateValues: { 3: 0.5 } },
      { number: 1, state: "RUNNING", value: null, intermediateValues: { 0: 2 } },
      // Another trial's bad hash must not fail the trial whose pruner reads it.
      { number: 2, state: null, value: null, intermediateValues: {} },
      { number: 3, state: null, value: null, intermediateValues: {} },
    ]);
  });
});

describe("a worker's result", () => {
  const base: TrialResult = {
    v: 1, study: "s", number: 0, state: "COMPLETE", value: 1, params: {}, distributions: {}, userAttrs: {},
    intermediateValues: {}, failReason: null, prunedMessage: null, worker: "w", datetimeStart: "", datetimeComplete: "",
  };

  it("must be consistent: COMPLETE with a finite value, FAIL with a reason", () => {
    expect(trialResultSchema.safeParse({ ...base, value: null }).success).toBe(false);
    expect(trialResultSchema.safeParse({ ...base, state: "FAIL", value: null }).success).toBe(false);
    expect(trialResultSchema.safeParse({ ...base, state: "PRUNED", value: null }).success).toBe(true);
  });

  it("is the end the worker judged", () => {
    expect(trialEndOf(base)).toEqual({ state: "COMPLETE", values: [1], failReason: null, prunedMessage: null, error: null });
    expect(trialEndOf({ ...base, state: "PRUNED", value: 0.5, prunedMessage: "at 3" })).toMatchObject({ state: "PRUNED", values: [0.5], prunedMessage: "at 3" });
    expect(trialEndOf({ ...base, state: "FAIL", value: null, failReason: "boom" })).toMatchObject({ state: "FAIL", values: null, failReason: "boom" });
  });

  it("carries a multi-objective trial's values, and needs them all finite to be COMPLETE", () => {
    const mo = { ...base, value: null, values: [1, -2] };
    expect(trialEndOf(trialResultSchema.parse(mo))).toMatchObject({ state: "COMPLETE", values: [1, -2] });
    expect(trialResultSchema.safeParse({ ...mo, values: null }).success).toBe(false);
    // An older worker's result has no `values`: its value is the one.
    const { values: _, ...old } = { ...base, values: undefined };
    expect(trialEndOf(trialResultSchema.parse(old))).toMatchObject({ values: [1] });
  });
});
