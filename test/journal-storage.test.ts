/**
 * The journal file end to end, with real `shoal` processes: a study SIGKILLed mid-run and
 * resumed, and two processes sharing one journal at once. Each ends with exact trial counts.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { createLogger, TrialState, type FrozenTrial } from "@shoal/core";
import { JournalFileStorage } from "@shoal/journal";
import { fixture, waitFor } from "@shoal/testing";
import { runShoal, shoalBin } from "@shoal/testing/cli";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const silent = createLogger({ level: "silent" });
const TRIAL_LINE = /Trial (\d+) finished with value/;

let dir: string;
let journal: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "shoal-journal-e2e-"));
  journal = path.join(dir, "study.jsonl");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The study's trials as the journal holds them now (read-only, as another process would). */
function journalTrials(studyName: string): FrozenTrial[] {
  const storage = JournalFileStorage.open(journal, { readOnly: true, logger: silent });
  try {
    return [...storage.getAllTrials(storage.getStudyIdFromName(studyName))];
  } finally {
    storage.close();
  }
}

const states = (trials: readonly FrozenTrial[]) => trials.map((t) => t.state);
const finishedNumbers = (stderr: string) => stderr.split("\n").flatMap((l) => (TRIAL_LINE.test(l) ? [Number(TRIAL_LINE.exec(l)![1])] : []));

describe("shoal optimize --storage: a study SIGKILLed mid-run resumes from its journal", () => {
  it("keeps every finished trial, records the running one FAIL, tolerates a torn last line and adds the resumed run's trials", async () => {
    const objective = fixture("kill-self.mjs");
    const base = ["optimize", objective, "--storage", journal, "--study", "killed", "--sampler", "random", "--seed", "1", "--no-progress"];
    // Trial 5's objective SIGKILLs its own process: trials 0-4 are finished, 5 was running.
    const killed = await runShoal([...base, "--trials", "20"], { env: { SHOAL_TEST_KILL_TRIALS: "5" } });
    expect(killed.signal).toBe("SIGKILL");
    const before = journalTrials("killed");
    expect(states(before)).toEqual([...Array(5).fill("COMPLETE"), "RUNNING"]);
    const pid = /:(\d+)$/.exec(before[5]!.systemAttrs.worker as string)![1];
    // As if the process had died in the middle of writing a record.
    const torn = '{"op":"setTrialState","study":"killed","num';
    appendFileSync(journal, torn);

    const resumed = await runShoal([...base, "--trials", "4"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`Ignored the last ${torn.length} bytes of ${journal} (line `);
    expect(resumed.stderr).toContain(`Trial 5 of study "killed" recorded as FAIL: its process ${pid} on ${hostname()} died before it finished.`);
    expect(resumed.stderr).toContain("Using an existing study with name 'killed' instead of creating a new one.");
    expect(finishedNumbers(resumed.stderr)).toEqual([6, 7, 8, 9]);
    expect(resumed.stdout).toContain('Study "killed" (minimize): 10 trials: 9 complete, 0 pruned, 1 failed.');

    const after = journalTrials("killed");
    expect(after.map((t) => t.number)).toEqual([...Array(10).keys()]);
    expect(states(after)).toEqual([...Array(5).fill("COMPLETE"), "FAIL", ...Array(4).fill("COMPLETE")]);
    expect(after.slice(0, 5)).toEqual(before.slice(0, 5));
    expect(after[5]!.params).toEqual(before[5]!.params);
    expect(readFileSync(journal, "utf8").endsWith("}\n")).toBe(true);
    expect(existsSync(`${journal}.lock`)).toBe(false);

    const status = await runShoal(["status", "--storage", journal, "--study", "killed"]);
    expect(status.stdout).toContain("Trials: 10 (9 complete, 0 pruned, 1 failed, 0 running, 0 waiting)");
    const listed = await runShoal(["trials", "--storage", journal, "--format", "json"]);
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(10);
  });

  it("after an external SIGKILL with two trials running, keeps the finished ones and fails the running ones", async () => {
    const objective = fixture("kill-self.mjs");
    const args = ["optimize", objective, "--storage", journal, "--study", "external", "--sampler", "random", "--jobs", "2", "--no-progress"];
    const child = spawn(process.execPath, [shoalBin, ...args, "--trials", "200"], {
      env: { ...process.env, SHOAL_TEST_SLEEP_MS: "150" },
      stdio: "ignore",
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    await waitFor("4 finished trials in the journal", () => existsSync(journal) && journalTrials("external").filter((t) => t.state === "COMPLETE").length >= 4, {
      timeoutMs: 60_000,
    });
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const before = journalTrials("external");
    const complete = before.filter((t) => t.state === TrialState.COMPLETE).length;
    const running = before.filter((t) => t.state === TrialState.RUNNING);
    expect(running.length).toBeGreaterThanOrEqual(1);
    expect(running.length).toBeLessThanOrEqual(2);
    expect(complete + running.length).toBe(before.length);

    const resumed = await runShoal([...args, "--trials", "3"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = journalTrials("external");
    expect(after.map((t) => t.number)).toEqual([...Array(before.length + 3).keys()]);
    expect(after.filter((t) => t.state === TrialState.COMPLETE)).toHaveLength(complete + 3);
    expect(after.filter((t) => t.state === TrialState.FAIL).map((t) => t.number)).toEqual(running.map((t) => t.number));
    expect(after.filter((t) => t.state === TrialState.RUNNING)).toHaveLength(0);
    for (const t of after.filter((t) => t.state === TrialState.FAIL)) {
      expect(t.systemAttrs.failReason).toBe(`its process ${child.pid} on ${hostname()} died before it finished`);
    }
  });
});

describe("shoal optimize --storage: two processes sharing one journal", () => {
  it("run one study at once: exact counts, no number twice, each enqueued trial run once", async () => {
    // The study is made first, with three enqueued trials, as a user's script might.
    const setup = JournalFileStorage.open(journal, { logger: silent });
    const studyId = setup.createStudy("shared", ["minimize"]);
    for (const x of [1, 2, 3]) setup.createTrial(studyId, { state: TrialState.WAITING, systemAttrs: { fixedParams: { x, y: -1 } } });
    setup.close();

    const run = (seed: number) =>
      runShoal(["optimize", fixture("quadratic.mjs"), "--storage", journal, "--study", "shared", "--trials", "15", "--sampler", "random", "--seed", String(seed), "--no-progress"], {
        env: { SHOAL_TEST_SLEEP_MS: "100" },
      });
    const [a, b] = await Promise.all([run(1), run(2)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);

    const numbersA = finishedNumbers(a.stderr);
    const numbersB = finishedNumbers(b.stderr);
    expect(numbersA).toHaveLength(15);
    expect(numbersB).toHaveLength(15);
    expect([...numbersA, ...numbersB].sort((x, y) => x - y)).toEqual([...Array(30).keys()]);

    const trials = journalTrials("shared");
    expect(trials).toHaveLength(30);
    expect(trials.every((t) => t.state === TrialState.COMPLETE)).toBe(true);
    expect(trials.slice(0, 3).map((t) => t.params.x)).toEqual([1, 2, 3]);
    const workers = new Map<string, number>();
    for (const t of trials) workers.set(t.systemAttrs.worker as string, (workers.get(t.systemAttrs.worker as string) ?? 0) + 1);
    expect([...workers.values()]).toEqual([15, 15]);
    // They really ran at once: each process finished trials while the other was running.
    const span = (w: string) => {
      const mine = trials.filter((t) => t.systemAttrs.worker === w);
      return [Math.min(...mine.map((t) => t.datetimeStart!.getTime())), Math.max(...mine.map((t) => t.datetimeComplete!.getTime()))] as const;
    };
    const [w1, w2] = [...workers.keys()] as [string, string];
    expect(span(w1)[0]).toBeLessThan(span(w2)[1]);
    expect(span(w2)[0]).toBeLessThan(span(w1)[1]);

    const status = await runShoal(["status", "--storage", journal, "--format", "json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ studyName: "shared", trials: 30, counts: { COMPLETE: 30, RUNNING: 0 } });
    const report = await runShoal(["report", "--storage", journal, "--out", path.join(dir, "report")]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('Wrote the report of study "shared" (30 trials)');
  });
});
