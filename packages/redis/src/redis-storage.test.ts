import { createLogger, RandomSampler, TrialPruned, TrialState } from "@shoal/core";
import { useTestRedis } from "@shoal/testing";
import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { MalformedPayloadError, PartialStudyError, StudyDataLostError } from "./errors.js";
import { ShoalKeys } from "./keys.js";
import { RedisStorage, type StudyLoss } from "./redis-storage.js";
import { createStudy, loadStudy } from "./study-factory.js";
import { readStudyHash } from "./study-hash.js";
import { readRunningTrialNumbers } from "./study-reads.js";

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

  it("keeps a multi-objective study's directions and values, in the fields redis-cli shows", async () => {
    const storage = RedisStorage.connect(redis.url, { prefix: redis.prefix });
    const study = await createStudy({ storage, studyName: "mo", directions: ["minimize", "maximize"], sampler: new RandomSampler({ seed: 1 }), logger });
    await study.optimize((t) => [t.suggestFloat("x", 0, 1), t.suggestFloat("y", 0, 1)], { nTrials: 4 });
    await storage.close();
    const keys = new ShoalKeys(redis.prefix);
    expect(await client.hget(keys.study("mo"), "direction")).toBe("minimize,maximize");
    expect(await client.hget(keys.study("mo"), "bestTrial")).toBeNull();
    expect(JSON.parse((await client.hget(keys.trial("mo", 0), "values"))!)).toEqual(study.trials[0]!.values);
    const again = await loadStudy({ storage: redis.url, prefix: redis.prefix, studyName: "mo", logger });
    expect(again.directions).toEqual(["minimize", "maximize"]);
    expect(again.trials.map((t) => t.values)).toEqual(study.trials.map((t) => t.values));
    expect(again.bestTrials.map((t) => t.number)).toEqual(study.bestTrials.map((t) => t.number));
    await (again.storage as RedisStorage).close();
  });

  it("writes a trial's empty fields never, and after the first write only the fields that changed", async () => {
    const keys = new ShoalKeys(redis.prefix);
    const storage = RedisStorage.connect(redis.url, { prefix: redis.prefix });
    const studyId = storage.createStudy("diffs", ["minimize"]);
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
    storage.setTrialState(trial.trialId, TrialState.COMPLETE, [1.5]);
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

  describe("a study that Redis lost", () => {
    /** What a restart without persistence or a FLUSHALL does to a study: every key of it gone. */
    async function forget(name: string): Promise<void> {
      const keys = new ShoalKeys(redis.prefix);
      const found = await client.keys(`${keys.study(name)}*`);
      await client.del(keys.studies(), ...found);
    }

    it("is flagged lost by the next flush that writes to it, or by checkStudies while it writes nothing", async () => {
      const keys = new ShoalKeys(redis.prefix);
      const storage = RedisStorage.connect(redis.url, { prefix: redis.prefix });
      const seen: Array<[string, StudyLoss["how"]]> = [];
      storage.onStudyLost((name, loss) => seen.push([name, loss.how]));
      const idle = await createStudy({ storage, studyName: "idle", sampler: new RandomSampler({ seed: 2 }), logger });
      await idle.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 2 });
      const busyId = storage.createStudy("busy", ["minimize"]);
      await storage.flush();
      await storage.checkStudies();
      expect(storage.lostStudy("idle")).toBeNull();
      expect(seen).toEqual([]);

      await forget("idle");
      await storage.checkStudies();
      expect(storage.lostStudy("idle")?.how).toBe("missing");

      // A flush's writes re-create part of the hash (its trial count): the same MULTI sees the epoch gone.
      await forget("busy");
      storage.createTrial(busyId);
      await storage.flush();
      expect(storage.lostStudy("busy")?.how).toBe("missing");
      expect(await client.hkeys(keys.study("busy"))).toEqual(["nextNumber"]);
      await storage.checkStudies(); // once per loss
      expect(seen).toEqual([["idle", "missing"], ["busy", "missing"]]);

      // The partial hash names the loss to readers instead of a bad field.
      const partial = await readStudyHash(client, keys, "busy").catch((e: unknown) => e);
      expect(partial).toBeInstanceOf(PartialStudyError);
      expect((partial as Error).message).toMatch(/^Study "busy" is incomplete in Redis: its hash \S+ holds only "nextNumber", .* Redis lost the study's data/);

      // Another study of that name created meanwhile is not written over.
      storage.createStudy("other", ["minimize"]);
      await storage.flush();
      await client.hset(keys.study("other"), "epoch", "someone-else");
      await storage.checkStudies();
      expect(storage.lostStudy("other")?.how).toBe("replaced");
      await expect(storage.restoreStudy("other")).rejects.toThrow(StudyDataLostError);
      await expect(storage.restoreStudy("other")).rejects.toThrow(/could not restore it: a new study of that name was created in Redis meanwhile\. Lost from Redis: 0 trial/);
      await storage.close();
    });

    it("is written back whole by restoreStudy: loadStudy then reads exactly what the storage held", async () => {
      const keys = new ShoalKeys(redis.prefix);
      const storage = RedisStorage.connect(redis.url, { prefix: redis.prefix });
      const study = await createStudy({ storage, studyName: "restored", direction: "maximize", sampler: new RandomSampler({ seed: 3 }), logger });
      await study.optimize(
        (t) => {
          const x = t.suggestFloat("x", 0, 1);
          t.suggestCategorical("c", ["a", null, true]);
          t.report(x / 2, 0);
          t.report(x, 1);
          t.setUserAttr("note", { n: t.number });
          if (t.number === 2) throw new TrialPruned();
          if (t.number === 3) return Number.NaN;
          return x;
        },
        { nTrials: 6 },
      );
      study.setUserAttr("owner", { team: "ml" });
      study.enqueueTrial({ x: 0.5 });
      const running = study.ask();
      running.suggestFloat("x", 0, 1);
      const studyId = study.studyId;
      storage.createTrial(studyId, { state: TrialState.WAITING, systemAttrs: { fixedParams: { x: 0.25 } } });
      await storage.setStudyObjective("restored", "objective.mjs@0123");
      await storage.flush();
      const hashBefore = await readStudyHash(client, keys, "restored");
      expect(hashBefore?.epoch).toMatch(/^[0-9a-f]{16}$/);

      await forget("restored");
      study.setUserAttr("after", 1); // a write after the loss: it re-creates part of the hash
      await storage.flush();
      expect(storage.lostStudy("restored")).not.toBeNull();
      const restored = await storage.restoreStudy("restored");
      expect(restored).toEqual({ trials: 8, running: 1, waiting: 1, nextNumber: 8 });
      expect(storage.lostStudy("restored")).toBeNull();

      expect(await readStudyHash(client, keys, "restored")).toEqual({
        ...hashBefore,
        reported: true,
        userAttrs: { owner: { team: "ml" }, after: 1 },
      });
      expect(await client.smembers(keys.studies())).toContain("restored");
      expect(await readRunningTrialNumbers(client, keys, "restored")).toEqual([running.number]);
      const reader = RedisStorage.connect(redis.url, { prefix: redis.prefix });
      expect(await reader.loadStudy("restored")).toBe(true);
      const readId = reader.getStudyIdFromName("restored");
      const strip = (trials: readonly { trialId: number }[]) => trials.map(({ trialId: _id, ...rest }) => rest);
      expect(strip(reader.getAllTrials(readId))).toEqual(strip(storage.getAllTrials(studyId)));
      expect(reader.getStudyUserAttrs(readId)).toEqual(storage.getStudyUserAttrs(studyId));
      expect(reader.getStudyDirections(readId)).toEqual(["maximize"]);
      expect(reader.getBestTrial(readId)?.number).toBe(storage.getBestTrial(studyId)?.number);
      await reader.close();

      // It goes on from there: later writes land on the restored study, numbered after it.
      storage.setTrialState(running.trialId, TrialState.COMPLETE, [0.75]);
      storage.createTrial(studyId);
      await storage.flush();
      await storage.checkStudies();
      expect(storage.lostStudy("restored")).toBeNull();
      expect((await readStudyHash(client, keys, "restored"))?.nextNumber).toBe(9);
      expect(await client.hget(keys.trial("restored", running.number), "state")).toBe("COMPLETE");
      await storage.close();
    });

    it("gives an older study without an epoch one as it loads", async () => {
      const keys = new ShoalKeys(redis.prefix);
      await client.hset(keys.study("old"), { direction: "minimize", createdAt: new Date().toISOString(), nextNumber: "0" });
      const storage = RedisStorage.connect(redis.url, { prefix: redis.prefix });
      await storage.loadStudy("old");
      const epoch = await client.hget(keys.study("old"), "epoch");
      expect(epoch).toMatch(/^[0-9a-f]{16}$/);
      await forget("old");
      await storage.checkStudies();
      expect(storage.lostStudy("old")?.how).toBe("missing");
      await storage.close();
    });

    it("writes nothing more of a study it abandoned", async () => {
      const keys = new ShoalKeys(redis.prefix);
      const storage = RedisStorage.connect(redis.url, { prefix: redis.prefix });
      const studyId = storage.createStudy("given-up", ["minimize"]);
      await storage.flush();
      await forget("given-up");
      storage.createTrial(studyId);
      storage.abandonStudy("given-up");
      storage.createTrial(studyId);
      await storage.flush();
      expect(await client.exists(keys.study("given-up"), keys.trial("given-up", 0), keys.trial("given-up", 1))).toBe(0);
      await storage.close();
    });
  });
});
