import { createLogger, RandomSampler } from "@shoal/core";
import { createStudy, RedisStorage, ShoalKeys, trialJobSchema } from "@shoal/redis";
import { useCluster } from "@shoal/testing/cluster";
import { describe, expect, it } from "vitest";
import { enqueueTrials } from "./enqueue-trials.js";
import { proposeTrial, trialJobData } from "./trial-job.js";

const env = useCluster();

describe("enqueueTrials", () => {
  it("writes the new trials and their jobs in one transaction", async () => {
    const c = await env.cluster();
    const storage = RedisStorage.connect(c.url, { prefix: c.prefix });
    const study = await createStudy({ storage, studyName: "tx", sampler: new RandomSampler({ seed: 2 }), logger: createLogger({ level: "silent" }) });
    study.setUserAttr("owner", "ml");
    const first = proposeTrial(study);
    study.tell(first.number, 1.5);
    const proposals = [proposeTrial(study), proposeTrial(study)];
    const queue = c.queue();
    await enqueueTrials(storage, c.redis, queue, proposals.map(({ number, proposal }) => trialJobData(study, number, proposal, "obj@1", 7)), { attempts: 1 });

    const keys = new ShoalKeys(c.prefix);
    // Every field as written, whatever form the write took inside BullMQ's transaction.
    const hash = await c.redis.hgetall(keys.study("tx"));
    expect(hash).toMatchObject({ direction: "minimize", nextNumber: "3", "userAttr:owner": '"ml"', bestTrial: "0", bestValue: "1.5" });
    expect(Object.keys(hash).sort()).toEqual(["bestTrial", "bestValue", "createdAt", "direction", "epoch", "nextNumber", "userAttr:owner"]);
    expect((await c.redis.smembers(keys.running("tx"))).sort()).toEqual(["1", "2"]);
    for (const { number, proposal } of proposals) {
      expect(await c.redis.hget(keys.trial("tx", number), "state")).toBe("RUNNING");
      const job = await queue.getJob(`tx.${number}`);
      const data = trialJobSchema.parse(job?.data);
      expect(data).toMatchObject({ study: "tx", number, objective: "obj@1", seed: 7, params: proposal.params });
    }
    expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 2 });
    await storage.close();
  });
});
