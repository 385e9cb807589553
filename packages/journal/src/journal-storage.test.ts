import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import {
  createLogger,
  createStudy as createCoreStudy,
  floatDistribution,
  intDistribution,
  categoricalDistribution,
  loadStudy as loadCoreStudy,
  RandomSampler,
  TrialState,
  type FrozenTrial,
  type Logger,
} from "@shoal/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JournalFormatError, JournalLockError, JournalWriteError } from "./errors.js";
import { JOURNAL_FORMAT } from "./journal-format.js";
import { JournalFileStorage } from "./journal-storage.js";
import { createStudy, journalPathOf, loadStudy } from "./study-factory.js";

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ sink: { write: (t) => lines.push(...t.split("\n").filter((l) => l.length > 0)) } });
  return { logger, lines };
}

const silent = createLogger({ level: "silent" });

/** The pid of a process that has exited: no process runs under it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

/** A trial's stored form without its storage-local id. */
const plain = (t: FrozenTrial) => {
  const { trialId: _id, ...rest } = t;
  return rest;
};

let dir: string;
let file: string;
const opened: JournalFileStorage[] = [];
function open(options: Parameters<typeof JournalFileStorage.open>[1] = {}): JournalFileStorage {
  const s = JournalFileStorage.open(file, { logger: silent, ...options });
  opened.push(s);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "shoal-journal-"));
  file = path.join(dir, "study.jsonl");
});
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("JournalFileStorage", () => {
  it("starts a journal with its header and replays every kind of change exactly", () => {
    const a = open();
    const s = a.createStudy("every-change", ["maximize"]);
    a.setStudyUserAttr(s, "dataset", { name: "iris", rows: 150 });
    const t0 = a.createTrial(s);
    a.setTrialParam(t0.trialId, "x", 0.25, floatDistribution("x", 0, 1));
    a.setTrialParam(t0.trialId, "n", 3, intDistribution("n", 1, 5));
    a.setTrialParam(t0.trialId, "kind", "b", categoricalDistribution("kind", ["a", "b", null]));
    a.setTrialParam(t0.trialId, "gone", 1, intDistribution("gone", 0, 2));
    a.deleteTrialParam(t0.trialId, "gone");
    a.setTrialIntermediateValue(t0.trialId, 0, 1.5);
    a.setTrialIntermediateValue(t0.trialId, 1, Number.NaN);
    a.setTrialIntermediateValue(t0.trialId, 2, Number.NEGATIVE_INFINITY);
    a.setTrialUserAttr(t0.trialId, "note", ["a", 1]);
    a.setTrialSystemAttr(t0.trialId, "failReason", "nothing");
    a.setTrialState(t0.trialId, TrialState.COMPLETE, [0.75]);
    a.createTrial(s, { state: TrialState.WAITING, userAttrs: { q: 1 }, systemAttrs: { fixedParams: { x: 0.5 } } });
    const popped = a.popWaitingTrial(s) as FrozenTrial;
    a.setTrialState(popped.trialId, TrialState.PRUNED, [0.1], { start: new Date(1000), complete: new Date(5000) });
    const t2 = a.createTrial(s);
    a.setTrialState(t2.trialId, TrialState.FAIL);
    a.createTrial(s); // left RUNNING by this (live) process

    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(JSON.parse(lines[0] as string)).toMatchObject({ format: JOURNAL_FORMAT });
    expect(lines.slice(1).map((l) => (JSON.parse(l) as { op: string }).op)).toEqual([
      "createStudy", "setStudyUserAttr", "createTrial", "setTrialParam", "setTrialParam", "setTrialParam", "setTrialParam",
      "deleteTrialParam", "setTrialIntermediateValue", "setTrialIntermediateValue", "setTrialIntermediateValue", "setTrialUserAttr",
      "setTrialSystemAttr", "setTrialState", "createTrial", "popWaitingTrial", "setTrialState", "createTrial", "setTrialState", "createTrial",
    ]);

    for (const b of [open(), open({ readOnly: true })]) {
      const id = b.getStudyIdFromName("every-change");
      expect(b.getStudyDirections(id)).toEqual(["maximize"]);
      expect(b.getStudyUserAttrs(id)).toEqual({ dataset: { name: "iris", rows: 150 } });
      expect(b.getAllTrials(id).map(plain)).toEqual(a.getAllTrials(s).map(plain));
      expect(b.countTrialsByState(id)).toEqual({ COMPLETE: 1, PRUNED: 1, FAIL: 1, RUNNING: 1, WAITING: 0 });
      expect(b.getBestTrial(id)?.number).toBe(0);
      expect(b.getParamDistributions(id)).toEqual(a.getParamDistributions(s));
    }
    const replayed = open({ readOnly: true }).getAllTrials(0);
    expect(replayed[0]?.intermediateValues).toEqual({ 0: 1.5, 1: Number.NaN, 2: Number.NEGATIVE_INFINITY });
    expect(replayed[1]).toMatchObject({ state: "PRUNED", duration: 4000, systemAttrs: { fixedParams: { x: 0.5 }, worker: `${hostname()}:${process.pid}` } });
  });

  it("checks a change before writing it: a bad one throws and leaves the file as it was", () => {
    const a = open();
    const s = a.createStudy("checks", ["minimize"]);
    const t = a.createTrial(s);
    a.setTrialParam(t.trialId, "x", 1, floatDistribution("x", 0, 2));
    const size = statSync(file).size;
    expect(() => a.setTrialParam(t.trialId, "x", 1, intDistribution("x", 0, 2))).toThrow(/incompatible/);
    a.setTrialState(t.trialId, TrialState.COMPLETE, [1]);
    expect(() => a.setTrialState(t.trialId, TrialState.FAIL)).toThrow(/already finished/);
    expect(() => a.createStudy("checks", ["minimize"])).toThrow(/already exists/);
    expect(statSync(file).size).toBeGreaterThan(size);
    expect(open({ readOnly: true }).getAllTrials(0)).toHaveLength(1);
    const ro = open({ readOnly: true });
    expect(() => ro.createTrial(0)).toThrow(JournalWriteError);
  });

  it("lets two storages on one file interleave asks: numbers never collide, an enqueued trial runs once", async () => {
    const a = open();
    const b = open();
    const studyA = createCoreStudy({ storage: a, studyName: "shared", sampler: new RandomSampler({ seed: 1 }), logger: silent });
    const studyB = loadCoreStudy({ storage: b, studyName: "shared", sampler: new RandomSampler({ seed: 2 }), logger: silent });
    studyA.enqueueTrial({ x: 0.5 });
    const numbers: number[] = [];
    for (let i = 0; i < 10; i++) {
      const ta = studyA.ask();
      const tb = studyB.ask();
      numbers.push(ta.number, tb.number);
      studyB.tell(tb, tb.suggestFloat("x", 0, 1));
      studyA.tell(ta, ta.suggestFloat("x", 0, 1));
    }
    expect(numbers.sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
    // The enqueued trial went to the first ask (A's) only; B never saw it WAITING.
    b.refresh();
    expect(b.getTrialByNumber(0, 0)?.params).toEqual({ x: 0.5 });
    expect(b.getAllTrials(0).filter((t) => t.params.x === 0.5 && t.systemAttrs.fixedParams)).toHaveLength(1);
    const c = open({ readOnly: true });
    expect(c.countTrialsByState(0)).toEqual({ COMPLETE: 20, PRUNED: 0, FAIL: 0, RUNNING: 0, WAITING: 0 });
    expect(c.getAllTrials(0).map(plain)).toEqual(b.getAllTrials(0).map(plain));
  });

  it("ignores a torn last line, reports it once and cuts it away under the lock before the next record", () => {
    const a = open();
    const s = a.createStudy("torn", ["minimize"]);
    a.setTrialState(a.createTrial(s).trialId, TrialState.COMPLETE, [1]);
    a.close();
    const whole = statSync(file).size;
    appendFileSync(file, '{"op":"createTrial","study":"torn","num');

    const reader = capture();
    const ro = JournalFileStorage.open(file, { readOnly: true, logger: reader.logger });
    opened.push(ro);
    expect(ro.getAllTrials(0)).toHaveLength(1);
    ro.refresh();
    expect(reader.lines.filter((l) => l.includes("Ignored the last"))).toEqual([
      expect.stringContaining(`Ignored the last 39 bytes of ${file} (line 5): it has no newline at its end`),
    ]);
    expect(statSync(file).size).toBe(whole + 39); // a reader never writes

    const writer = capture();
    const b = JournalFileStorage.open(file, { logger: writer.logger });
    opened.push(b);
    expect(writer.lines.filter((l) => l.includes("Ignored the last 39 bytes") && l.includes("cut it away"))).toHaveLength(1);
    expect(statSync(file).size).toBe(whole);
    b.setTrialState(b.createTrial(0).trialId, TrialState.COMPLETE, [2]);
    expect(open({ readOnly: true }).countTrialsByState(0).COMPLETE).toBe(2);

    // A last line that ends in a newline but is no record is torn too.
    b.close();
    appendFileSync(file, '{"op":"nonsense"}\n');
    const again = capture();
    opened.push(JournalFileStorage.open(file, { logger: again.logger }));
    expect(again.lines.join("\n")).toMatch(/Ignored the last 18 bytes .* \(line 7\): Invalid discriminator value.* at op, /);
  });

  it("rejects a malformed record before the last line, naming its line", () => {
    const a = open();
    const s = a.createStudy("bad", ["minimize"]);
    a.setTrialState(a.createTrial(s).trialId, TrialState.COMPLETE, [1]);
    a.close();
    const lines = readFileSync(file, "utf8").split("\n");
    lines[2] = lines[2]!.replace('"createTrial"', '"createTrail"');
    writeFileSync(file, lines.join("\n"));
    expect(() => open()).toThrow(JournalFormatError);
    expect(() => open({ readOnly: true })).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} line 3 is not a journal record`));
    writeFileSync(file, "hello\nworld\n");
    expect(() => open()).toThrow(/line 1 is not a shoal\.journal\/v1 header/);
  });

  it("rejects a record that does not fit the ones before it, naming its line", () => {
    const a = open();
    a.createStudy("fit", ["minimize"]);
    a.close();
    appendFileSync(file, JSON.stringify({ op: "setTrialUserAttr", study: "fit", number: 7, key: "k", value: 1 }) + "\n" + JSON.stringify({ op: "createStudy", study: "x", direction: "minimize" }) + "\n");
    expect(() => open({ readOnly: true })).toThrow(/line 3: the setTrialUserAttr record does not fit the records before it \(study "fit" has no trial 7 yet\)/);
  });

  it("breaks a stale lock (a dead process of this machine, or one held too long) with a warning", () => {
    open().close();
    const lock = `${file}.lock`;
    const pid = deadPid();
    writeFileSync(lock, JSON.stringify({ host: hostname(), pid, at: Date.now(), token: "dead" }));
    const log = capture();
    const a = JournalFileStorage.open(file, { logger: log.logger });
    opened.push(a);
    a.createStudy("after-a-dead-lock", ["minimize"]);
    expect(log.lines.join("\n")).toContain(`Broke the stale lock ${lock}: its process ${pid} on ${hostname()} is dead.`);

    writeFileSync(lock, JSON.stringify({ host: "elsewhere", pid: 1, at: Date.now() - 60_000, token: "old" }));
    a.createStudy("after-an-old-lock", ["minimize"]);
    expect(log.lines.join("\n")).toMatch(/Broke the stale lock .*: process 1 on elsewhere \(since .*\) has held it for 60\.\d s \(the bound is 10 s\)\./);
  });

  it("waits for a live holder and gives up after the timeout, naming it", () => {
    const a = open({ lockTimeoutMs: 300 });
    const s = a.createStudy("held", ["minimize"]);
    writeFileSync(`${file}.lock`, JSON.stringify({ host: hostname(), pid: process.ppid, at: Date.now(), token: "live" }));
    const started = Date.now();
    expect(() => a.createTrial(s)).toThrow(JournalLockError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(() => a.createTrial(s)).toThrow(`it is held by process ${process.ppid} on ${hostname()}`);
    rmSync(`${file}.lock`);
    expect(a.createTrial(s).number).toBe(0);
  });

  it("records FAIL the RUNNING trials of dead processes of this machine, keeps the others", () => {
    const a = open();
    const s = a.createStudy("owners", ["minimize"]);
    a.setTrialState(a.createTrial(s).trialId, TrialState.COMPLETE, [1]);
    const pid = deadPid();
    const dead = a.createTrial(s);
    a.setTrialSystemAttr(dead.trialId, "worker", `${hostname()}:${pid}`);
    const remote = a.createTrial(s);
    a.setTrialSystemAttr(remote.trialId, "worker", "another-host:1234");
    const mine = a.createTrial(s); // this live storage's own

    const log = capture();
    const b = JournalFileStorage.open(file, { logger: log.logger });
    opened.push(b);
    expect(b.getAllTrials(0).map((t) => t.state)).toEqual(["COMPLETE", "FAIL", "RUNNING", "RUNNING"]);
    expect(b.getTrial(dead.trialId).systemAttrs.failReason).toBe(`its process ${pid} on ${hostname()} died before it finished`);
    expect(log.lines).toEqual([expect.stringContaining(`Trial 1 of study "owners" recorded as FAIL: its process ${pid} on ${hostname()} died before it finished.`)]);

    // The storage that ran trial 3 closes without finishing it: this pid no longer runs it.
    a.close();
    expect(b.failDeadTrials().map((t) => t.number)).toEqual([mine.number]);
    expect(b.countTrialsByState(0)).toEqual({ COMPLETE: 1, PRUNED: 0, FAIL: 2, RUNNING: 1, WAITING: 0 });
  });
});

describe("createStudy and loadStudy with a journal", () => {
  it("takes file: paths, resumes a study by name with loadIfExists, and refuses other URLs", async () => {
    expect(journalPathOf("file:./study.jsonl")).toBe("./study.jsonl");
    expect(journalPathOf(`file://${file}`)).toBe(file);
    expect(journalPathOf("study.jsonl")).toBe("study.jsonl");
    expect(() => journalPathOf("redis://localhost:6379")).toThrow(/got a redis:\/\/ URL; for Redis use @shoal\/redis/);

    const log = capture();
    const first = createStudy({ storage: `file:${file}`, studyName: "resume", sampler: new RandomSampler({ seed: 0 }), logger: log.logger });
    expect(log.lines[0]).toContain(`A new study created in the journal file ${file} with name: resume`);
    await first.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 3 });
    expect(() => createStudy({ storage: file, studyName: "resume", logger: silent })).toThrow(/already exists/);
    const again = createStudy({ storage: file, studyName: "resume", loadIfExists: true, sampler: new RandomSampler({ seed: 1 }), logger: silent });
    await again.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 2 });
    expect(again.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
    expect(loadStudy({ storage: file, studyName: "resume", logger: silent }).trials).toHaveLength(5);
    expect(() => loadStudy({ storage: file, studyName: "nope", logger: silent })).toThrow(`No study named "nope" in the journal file ${file} (it holds "resume").`);
    for (const s of [first, again]) (s.storage as JournalFileStorage).close();
  });
});

describe("opening a journal", () => {
  it("names the file when it cannot be opened or is missing", () => {
    expect(() => JournalFileStorage.open(dir, { logger: silent })).toThrow(new RegExp(`Cannot open the journal file ${dir} to read and append to it: EISDIR`));
    expect(() => JournalFileStorage.open(path.join(dir, "none.jsonl"), { readOnly: true, logger: silent })).toThrow(/There is no journal file at .*none\.jsonl/);
  });
});

describe("a multi-objective study in the journal", () => {
  it("keeps its directions and each trial's values across processes", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "shoal-journal-mo-"));
    const file = path.join(dir, "mo.jsonl");
    try {
      const a = JournalFileStorage.open(file, { logger: silent });
      const s = a.createStudy("mo", ["minimize", "maximize"]);
      a.setTrialState(a.createTrial(s).trialId, TrialState.COMPLETE, [0.5, -2]);
      a.setTrialState(a.createTrial(s).trialId, TrialState.FAIL);
      a.close();
      const b = JournalFileStorage.open(file, { readOnly: true, logger: silent });
      const id = b.getStudyIdFromName("mo");
      expect(b.getStudyDirections(id)).toEqual(["minimize", "maximize"]);
      expect(b.getAllTrials(id).map((t) => [t.state, t.values, t.value])).toEqual([["COMPLETE", [0.5, -2], null], ["FAIL", null, null]]);
      b.close();
      // One objective is written as before multi-objective studies: `direction` and `value` only.
      const lines = readFileSync(file, "utf8").split("\n");
      expect(lines.some((l) => l.includes('"directions":["minimize","maximize"]'))).toBe(true);
      expect(lines.some((l) => l.includes('"values":[0.5,-2]'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
