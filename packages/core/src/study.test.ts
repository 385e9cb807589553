import { describe, expect, it } from "vitest";
import { NoCompletedTrialsError, SearchSpaceError, IncompatibleDistributionError, TrialPruned, InvalidOptionError } from "./errors.js";
import { MedianPruner } from "./pruners/median-pruner.js";
import { RandomSampler } from "./samplers/random-sampler.js";
import { createStudy, loadStudy } from "./study.js";
import { captureLogger } from "./test-logger.js";
import type { BaseTrial } from "./trial.js";
import { TrialState } from "./trial-state.js";
import { InMemoryStorage } from "./storage/in-memory-storage.js";

function quietStudy(options: Parameters<typeof createStudy>[0] = {}) {
  const { logger, lines } = captureLogger();
  const study = createStudy({ sampler: new RandomSampler({ seed: 0 }), logger, ...options });
  return { study, lines };
}

describe("ask / tell / enqueue", () => {
  it("runs the issue's snippet", async () => {
    const { study } = quietStudy({ direction: "maximize" });
    await study.optimize((t) => -((t.suggestFloat("x", -10, 10) - 2) ** 2), { nTrials: 20 });
    expect(study.trials).toHaveLength(20);
    expect(study.bestTrial.number).toBeGreaterThanOrEqual(0);
    expect(study.bestValue).toBe(Math.max(...study.trials.map((t) => t.value as number)));
    expect(Object.keys(study.bestParams)).toEqual(["x"]);

    const trial = study.ask();
    const told = study.tell(trial, trial.suggestFloat("x", -10, 10) ** 2);
    expect(told.state).toBe(TrialState.COMPLETE);
    expect(told.number).toBe(20);

    study.enqueueTrial({ x: 0.5 });
    const next = study.ask();
    expect(next.suggestFloat("x", -10, 10)).toBe(0.5);
    study.tell(next, 1);
    expect(study.trials[21]!.params).toEqual({ x: 0.5 });
  });

  it("tells a trial by number, and a number that is not running is refused", () => {
    const { study } = quietStudy();
    const a = study.ask();
    const b = study.ask();
    expect(study.storage.getTrialByNumber(study.studyId, b.number)?.number).toBe(1);
    expect(study.storage.getTrialByNumber(study.studyId, 5)).toBeNull();
    expect(study.tell(b.number, 2).state).toBe(TrialState.COMPLETE);
    expect(() => study.tell(b.number, 3)).toThrow(/Trial 1 is not a running trial/);
    expect(() => study.tell(7, 3)).toThrow(/Trial 7 is not a running trial/);
    study.tell(a, 1);
  });

  it("asks a trial put back to WAITING again, with the params it was fixed to", () => {
    const { study } = quietStudy();
    const t = study.ask();
    study.storage.setTrialSystemAttr(t.trialId, "fixedParams", { x: 0.25 });
    study.storage.setTrialState(t.trialId, TrialState.WAITING);
    expect(study.trials[0]!.datetimeStart).toBeNull();
    const again = study.ask();
    expect(again.number).toBe(t.number);
    expect(again.suggestFloat("x", 0, 1)).toBe(0.25);
    study.tell(again, 1);
    expect(study.ask().number).toBe(1);
  });

  it("samples params the enqueued trial does not fix", () => {
    const { study } = quietStudy();
    study.enqueueTrial({ x: 1 }, { userAttrs: { source: "manual" } });
    const t = study.ask();
    expect(t.suggestFloat("x", 0, 2)).toBe(1);
    const y = t.suggestFloat("y", 0, 2);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(t.userAttrs).toEqual({ source: "manual" });
    study.tell(t, 0);
  });

  it("skips an enqueue that already exists when asked", () => {
    const { study } = quietStudy();
    study.enqueueTrial({ x: 1 });
    study.enqueueTrial({ x: 1 }, { skipIfExists: true });
    expect(study.getTrials({ states: [TrialState.WAITING] })).toHaveLength(1);
  });

  it("returns the first value when a name is suggested twice in a trial", () => {
    const { study } = quietStudy();
    const t = study.ask();
    const a = t.suggestFloat("x", 0, 1);
    expect(t.suggestFloat("x", 0, 1)).toBe(a);
    expect(t.suggestFloat("x", 0, 5)).toBe(a);
  });

  it("suggests every distribution kind within its space", () => {
    const { study } = quietStudy();
    for (let i = 0; i < 50; i++) {
      const t = study.ask();
      const f = t.suggestFloat("f", -1, 1);
      const fs = t.suggestFloat("fs", 0, 1, { step: 0.25 });
      const fl = t.suggestFloat("fl", 1e-5, 1, { log: true });
      const k = t.suggestInt("k", 1, 10);
      const ks = t.suggestInt("ks", 0, 20, { step: 5 });
      const kl = t.suggestInt("kl", 1, 1000, { log: true });
      const c = t.suggestCategorical("c", ["a", 2, false, null]);
      expect(f).toBeGreaterThanOrEqual(-1);
      expect(f).toBeLessThanOrEqual(1);
      expect([0, 0.25, 0.5, 0.75, 1]).toContain(fs);
      expect(fl).toBeGreaterThanOrEqual(1e-5);
      expect(fl).toBeLessThanOrEqual(1);
      expect(Number.isInteger(k) && k >= 1 && k <= 10).toBe(true);
      expect([0, 5, 10, 15, 20]).toContain(ks);
      expect(Number.isInteger(kl) && kl >= 1 && kl <= 1000).toBe(true);
      expect(["a", 2, false, null]).toContain(c);
      study.tell(t, f);
    }
  });

  it("reproduces a seeded study exactly", async () => {
    const run = async () => {
      const { study } = quietStudy({ sampler: new RandomSampler({ seed: 123 }) });
      await study.optimize((t) => t.suggestFloat("x", -5, 5) + t.suggestInt("k", 0, 9) + (t.suggestCategorical("c", ["a", "b"]) === "a" ? 1 : 0), {
        nTrials: 30,
      });
      return study.trials.map((t) => [t.params, t.value]);
    };
    expect(await run()).toEqual(await run());
  });

  it("loads a study by name from its storage", async () => {
    const storage = new InMemoryStorage();
    const { study } = quietStudy({ storage, studyName: "s1", direction: "maximize" });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 3 });
    const again = loadStudy({ storage, studyName: "s1", logger: captureLogger().logger });
    expect(again.direction).toBe("maximize");
    expect(again.trials).toHaveLength(3);
    expect(() => createStudy({ storage, studyName: "s1", logger: captureLogger().logger })).toThrow(/already exists/);
    expect(createStudy({ storage, studyName: "s1", loadIfExists: true, logger: captureLogger().logger }).trials).toHaveLength(3);
  });
});

describe("failures", () => {
  it("records a throwing objective as FAIL, logs it and re-throws", async () => {
    const { study, lines } = quietStudy();
    await expect(
      study.optimize(
        (t) => {
          t.suggestFloat("x", 0, 1);
          throw new RangeError("boom");
        },
        { nTrials: 5 },
      ),
    ).rejects.toThrow("boom");
    expect(study.trials).toHaveLength(1);
    expect(study.trials[0]!.state).toBe(TrialState.FAIL);
    expect(study.trials[0]!.systemAttrs.failReason).toBe("RangeError('boom')");
    expect(lines[1]).toMatch(/^\[W .*\] Trial 0 failed with parameters: \{'x': [0-9.e-]+\} because of the following error: RangeError\('boom'\)\.$/);
  });

  it("goes on past errors that `catch` covers", async () => {
    const { study } = quietStudy();
    let n = 0;
    await study.optimize(
      () => {
        n += 1;
        if (n % 2 === 0) throw new RangeError("even");
        return n;
      },
      { nTrials: 6, catch: [RangeError] },
    );
    expect(study.trials.map((t) => t.state)).toEqual(["COMPLETE", "FAIL", "COMPLETE", "FAIL", "COMPLETE", "FAIL"]);
    await expect(study.optimize(() => { throw new TypeError("other"); }, { nTrials: 2, catch: [RangeError] })).rejects.toThrow(TypeError);
  });

  it.each([
    [Number.NaN, "The objective returned nan, which is not a finite number"],
    [Infinity, "The objective returned inf, which is not a finite number"],
    ["0.5", 'The objective returned "0.5", which is not a number'],
    [undefined, "The objective returned undefined, which is not a number"],
  ])("fails a trial whose objective returns %s", async (value, reason) => {
    const { study, lines } = quietStudy();
    await study.optimize(() => value as number, { nTrials: 2 });
    expect(study.trials.map((t) => t.state)).toEqual(["FAIL", "FAIL"]);
    expect(study.trials[0]!.systemAttrs.failReason).toContain(reason);
    expect(lines[1]).toContain(`because of the following error: ${reason}`);
    expect(() => study.bestTrial).toThrow(NoCompletedTrialsError);
  });

  it("records TrialPruned as PRUNED with the last reported value", async () => {
    const { study, lines } = quietStudy();
    await study.optimize(
      (t) => {
        t.report(3, 0);
        t.report(2, 1);
        throw new TrialPruned();
      },
      { nTrials: 1 },
    );
    expect(study.trials[0]!.state).toBe(TrialState.PRUNED);
    expect(study.trials[0]!.value).toBe(2);
    expect(study.trials[0]!.intermediateValues).toEqual({ 0: 3, 1: 2 });
    expect(lines[1]).toMatch(/Trial 0 pruned\.$/);
  });

  it("fails a bad search space at the suggest call, naming the parameter", async () => {
    const { study } = quietStudy();
    const t = study.ask();
    expect(() => t.suggestFloat("lr", 1, 0)).toThrow(SearchSpaceError);
    expect(() => t.suggestFloat("lr", 0, 1, { log: true })).toThrow(/"lr": log=true needs low > 0/);
    expect(() => t.suggestCategorical("opt", [])).toThrow(/"opt": choices must be a non-empty array/);
    t.suggestFloat("x", 0, 1);
    expect(() => t.suggestInt("x", 0, 1)).toThrow(IncompatibleDistributionError);
    study.tell(t, 1);
    const u = study.ask();
    expect(() => u.suggestCategorical("x", ["a"])).toThrow(/Parameter "x" was suggested with an incompatible distribution/);
  });

  it("rejects use of a finished trial and bad optimize options", async () => {
    const { study } = quietStudy();
    const t = study.ask();
    study.tell(t, 1);
    expect(() => t.suggestFloat("x", 0, 1)).toThrow(/already finished as COMPLETE/);
    expect(() => study.tell(t, 2)).toThrow(/already finished/);
    await expect(study.optimize(() => 1, { nTrials: -1 })).rejects.toThrow(InvalidOptionError);
    await expect(study.optimize(() => 1, { concurrency: 0 })).rejects.toThrow(/"concurrency": must be an integer >= 1/);
    expect(() => createStudy({ direction: "up" as never })).toThrow(/"direction": must be "minimize" or "maximize"/);
  });

  it("validates report arguments", () => {
    const { study } = quietStudy();
    const t = study.ask();
    expect(() => t.report(1, -1)).toThrow(/step >= 0/);
    expect(() => t.report("1" as never, 0)).toThrow(/needs a number/);
  });
});

describe("optimize", () => {
  it("runs async objectives concurrently", async () => {
    const { study } = quietStudy();
    let running = 0;
    let peak = 0;
    await study.optimize(
      async (t) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running -= 1;
        return t.suggestFloat("x", 0, 1);
      },
      { nTrials: 12, concurrency: 4 },
    );
    expect(peak).toBe(4);
    expect(study.trials).toHaveLength(12);
    expect(new Set(study.trials.map((t) => t.number)).size).toBe(12);
  });

  it("stops starting trials after the timeout", async () => {
    const { study } = quietStudy();
    await study.optimize(async () => { await new Promise((r) => setTimeout(r, 50)); return 1; }, { timeout: 0.2 });
    expect(study.trials.length).toBeGreaterThanOrEqual(2);
    expect(study.trials.length).toBeLessThanOrEqual(6);
  });

  it("calls callbacks after each trial and honours stop()", async () => {
    const { study } = quietStudy();
    const seen: number[] = [];
    await study.optimize((t) => t.suggestFloat("x", 0, 1), {
      nTrials: 100,
      callbacks: [(s, trial) => { seen.push(trial.number); if (trial.number === 4) s.stop(); }],
    });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it("logs Optuna-style lines", async () => {
    const { study, lines } = quietStudy({ studyName: "demo", direction: "maximize" });
    study.enqueueTrial({ x: 0.5, k: 2 });
    study.enqueueTrial({ x: 0.25, k: 3 });
    await study.optimize((t) => t.suggestFloat("x", 0, 1) * t.suggestInt("k", 1, 3), { nTrials: 2 });
    expect(lines[0]).toMatch(/^\[I \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] A new study created in memory with name: demo$/);
    expect(lines[1]).toMatch(/^\[I .*\] Trial 0 finished with value: 1\.0 and parameters: \{'x': 0\.5, 'k': 2\}\. Best is trial 0 with value: 1\.0\.$/);
    expect(lines[2]).toMatch(/Trial 1 finished with value: 0\.75 and parameters: \{'x': 0\.25, 'k': 3\}\. Best is trial 0 with value: 1\.0\.$/);
  });

  it("logs JSON records on request", async () => {
    const { logger, lines } = captureLogger("json");
    const study = createStudy({ studyName: "j", sampler: new RandomSampler({ seed: 1 }), logger });
    await study.optimize(() => 3, { nTrials: 1 });
    const rec = JSON.parse(lines[1]!) as Record<string, unknown>;
    expect(rec).toMatchObject({ event: "trial_finished", study: "j", trial: 0, state: "COMPLETE", value: 3, bestTrial: 0, bestValue: 3 });
  });
});

describe("MedianPruner through the trial API", () => {
  it("prunes a trial worse than the median of completed trials at the same step", async () => {
    const { study } = quietStudy({ pruner: new MedianPruner({ nStartupTrials: 2 }) });
    const curve = (t: BaseTrial, level: number) => {
      for (let step = 0; step < 5; step++) {
        t.report(level + step, step);
        if (t.shouldPrune()) throw new TrialPruned();
      }
      return level;
    };
    for (const level of [3, 1, 2]) {
      study.enqueueTrial({ level });
    }
    study.enqueueTrial({ level: 10 });
    await study.optimize((t) => curve(t, t.suggestInt("level", 0, 10)), { nTrials: 4 });
    expect(study.trials.map((t) => t.state)).toEqual(["COMPLETE", "COMPLETE", "COMPLETE", "PRUNED"]);
    expect(study.trials[3]!.value).toBe(10);
  });
});
