import { createLogger, RandomSampler, TrialPruned, TrialState } from "@shoal/core";
import { useTestRedis } from "@shoal/testing";
import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { MalformedPayloadError } from "./errors.js";
import { ShoalKeys } from "./keys.js";
import { RedisStorage } from "./redis-storage.js";
import { createStudy, loadStudy } from "./study-factory.js";

const logger = createLogger({ level: "silent" });

describe("RedisStorage", () => {
  const redis = useTestRedis();
  let client: Redis;
  beforeAll(() => {
    client = redis.redis;
  });

  it("keeps a study's trials in Redis and loads them back", async () => {
    const storage = RedisStorage.connect(redis.url, { prefix: redis.prefix });
    const study = await createStudy({ storage, studyName: "roundtrip", direction: "maximize", sampler: new RandomSampler({ seed: 1 }), logger });
    await study.optimize(
      (t) => {
        const x = t.suggestFloat("x", 0, 1);
        const c = t.suggestCategorical("c", ["a", null, true]);
        t.report(x / 2, 0);
        t.setUserAttr("note", { c });
        if (t.number === 3) throw new TrialPruned();
        if (t.number === 4) return Number.NaN;
        return x;
      },
      { nTrials: 8 },
    );
    study.setUserAttr("owner", { team: "ml" });
    await storage.close();

    const keys = new ShoalKeys(redis.prefix);
    expect(await client.smembers(keys.studies())).toEqual(["roundtrip"]);
    expect(await client.hget(keys.trial("roundtrip", 0), "state")).toBe("COMPLETE");
    expect(await client.hget(keys.study("roundtrip"), "nextNumber")).toBe("8");
    expect(await client.scard(keys.running("roundtrip"))).toBe(0);

    const again = await loadStudy({ storage: redis.url, prefix: redis.prefix, studyName: "roundtrip", logger });
    expect(again.userAttrs).toEqual({ owner: { team: "ml" } });
    expect(again.direction).toBe("maximize");
    expect(again.trials.map((t) => t.state)).toEqual(study.trials.map((t) => t.state));
    expect(again.trials.map((t) => t.params)).toEqual(study.trials.map((t) => t.params));
    expect(again.trials[3]!.state).toBe(TrialState.PRUNED);
    expect(again.trials[4]!.systemAttrs.failReason).toMatch(/returned nan/);
    expect(again.trials[0]!.intermediateValues).toEqual(study.trials[0]!.intermediateValues);
    expect(again.trials[0]!.userAttrs).toEqual(study.trials[0]!.userAttrs);
    expect(again.trials[0]!.datetimeStart?.getTime()).toBe(study.trials[0]!.datetimeStart?.getTime());
    expect(again.bestTrial.number).toBe(study.bestTrial.number);
    expect(await client.hget(keys.study("roundtrip"), "bestTrial")).toBe(String(study.bestTrial.number));

    // Resuming adds trials after the loaded ones.
    await again.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 2 });
    await (again.storage as RedisStorage).close();
    expect(await client.hget(keys.study("roundtrip"), "nextNumber")).toBe("10");
  });

  it("writes a trial's empty fields never, and after the first write only the fields that changed", async () => {
    const keys = new ShoalKeys(redis.prefix);
    const storage = RedisStorage.connect(redis.url, { prefix: redis.prefix });
    const studyId = storage.createStudy("diffs", "minimize");
    const trial = storage.createTrial(studyId);
    const x = { kind: "float", low: 0, high: 1, step: null, log: false } as const;
    storage.setTrialParam(trial.trialId, "x", 0.5, x);
    await storage.flush();
    const key = keys.trial("diffs", 0);
    expect(Object.keys(await client.hgetall(key)).sort()).toEqual(["datetimeStart", "distributions", "number", "params", "state"]);

    // Read back whole, the missing fields empty.
    const reader = RedisStorage.connect(redis.url, { prefix: redis.prefix });
    await reader.loadStudy("diffs");
    const loaded = reader.getTrialByNumber(reader.getStudyIdFromName("diffs"), 0);
    expect(loaded).toMatchObject({ state: TrialState.RUNNING, value: null, params: { x: 0.5 }, userAttrs: {}, systemAttrs: {}, datetimeComplete: null });
    expect(loaded?.datetimeStart?.getTime()).toBe(trial.datetimeStart?.getTime());
    await reader.close();

    // A field changed behind this storage's back stays as it is: the next write sends only what changed here.
    await client.hset(key, "params", JSON.stringify({ x: 0.25 }));
    storage.setTrialUserAttr(trial.trialId, "note", "hi");
    storage.setTrialState(trial.trialId, TrialState.COMPLETE, 1.5);
    await storage.flush();
    const done = await client.hgetall(key);
    expect(done).toMatchObject({ state: "COMPLETE", value: "1.5", userAttrs: '{"note":"hi"}', params: '{"x":0.25}' });
    expect(done.datetimeComplete).not.toBe("");

    // A field that empties is written empty: a trial put back to WAITING loses its start and params.
    const second = storage.createTrial(studyId);
    storage.setTrialParam(second.trialId, "x", 0.75, x);
    await storage.flush();
    storage.deleteTrialParam(second.trialId, "x");
    storage.setTrialState(second.trialId, TrialState.WAITING);
    await storage.flush();
    expect(await client.hgetall(keys.trial("diffs", 1))).toMatchObject({ state: "WAITING", params: "{}", distributions: "{}", datetimeStart: "" });
    expect(await client.sismember(keys.running("diffs"), "1")).toBe(0);
    await storage.close();
  });

  it("refuses to create a study that exists unless loadIfExists", async () => {
    const storage = RedisStorage.connect(redis.url, { prefix: redis.prefix });
    await createStudy({ storage, studyName: "twice", logger });
    await storage.close();
    await expect(createStudy({ storage: redis.url, prefix: redis.prefix, studyName: "twice", logger })).rejects.toThrow(/already exists in Redis/);
    const s = await createStudy({ storage: redis.url, prefix: redis.prefix, studyName: "twice", loadIfExists: true, logger });
    expect(s.studyName).toBe("twice");
    await (s.storage as RedisStorage).close();
    await expect(loadStudy({ storage: redis.url, prefix: redis.prefix, studyName: "nope", logger })).rejects.toThrow(/No study named "nope"/);
  });

  it("names the bad field of a malformed trial hash", async () => {
    const keys = new ShoalKeys(redis.prefix);
    await client.hset(keys.study("broken"), { direction: "minimize", createdAt: new Date().toISOString(), nextNumber: "1" });
    await client.hset(keys.trial("broken", 0), { number: "0", state: "EXPLODED", params: "{}", distributions: "{}" });
    const storage = RedisStorage.connect(redis.url, { prefix: redis.prefix });
    await expect(storage.loadStudy("broken")).rejects.toThrow(MalformedPayloadError);
    await expect(storage.loadStudy("broken")).rejects.toThrow(/trial hash .*broken:trial:0 in Redis: field "state"/);
    await storage.close();
  });
});
