import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger, TrialState } from "@shoal/core";
import { JournalFileStorage } from "@shoal/journal";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseStatusArgs, parseStudiesArgs, parseTrialsArgs } from "./cluster-queries.js";
import { listJournalStudies, readJournalStudy } from "./journal-queries.js";
import { parseReportArgs } from "./report.js";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "shoal-cli-journal-"));
  file = path.join(dir, "study.jsonl");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the queries' --storage FILE", () => {
  it("reads a journal instead of Redis, and refuses the Redis flags with it", () => {
    expect(parseStatusArgs(["--storage", "study.jsonl"], {})).toMatchObject({ journal: path.resolve("study.jsonl"), studyName: "", format: "text" });
    expect(parseTrialsArgs(["--storage", file, "--study", "s", "--format", "csv"], {})).toMatchObject({ journal: file, studyName: "s", format: "csv" });
    expect(parseStudiesArgs(["--storage", file], {})?.journal).toBe(file);
    expect(() => parseStatusArgs(["--storage", file, "--redis", "redis://h"], {})).toThrow(
      "--redis is for a study in Redis; --storage reads a journal file: give one of them.",
    );
    expect(() => parseTrialsArgs(["--storage", file, "--prefix", "p"], {})).toThrow(/--prefix is for a study in Redis/);
    expect(parseStatusArgs(["--redis", "redis://h", "--study", "s"], {})?.journal).toBeUndefined();
    expect(parseReportArgs(["--out", "o", "--storage", file], dir)).toMatchObject({ from: { journal: file, studyName: "" } });
    expect(() => parseReportArgs(["--out", "o", "--storage", file, "--redis", "redis://h"], dir)).toThrow(/without --from, --redis and --prefix/);
  });

  it("takes the journal's only study when --study is left out, and names the studies otherwise", () => {
    const storage = JournalFileStorage.open(file, { logger: createLogger({ level: "silent" }) });
    const a = storage.createStudy("a", ["maximize"]);
    storage.setTrialState(storage.createTrial(a).trialId, TrialState.COMPLETE, [3]);
    storage.createTrial(a);
    expect(readJournalStudy(file, "", "status")).toMatchObject({ studyName: "a", directions: ["maximize"], best: { number: 0, value: 3 } });
    storage.createStudy("b", ["minimize"]);
    storage.close();
    expect(() => readJournalStudy(file, "", "status")).toThrow(`the journal file ${file} holds several studies ("a", "b"): give --study NAME.`);
    expect(() => readJournalStudy(file, "c", "trials")).toThrow(`no study named "c" in the journal file ${file} (it holds "a", "b").`);
    expect(readJournalStudy(file, "a", "trials").trials).toHaveLength(2);
    expect(listJournalStudies(file)).toMatchObject([
      { name: "a", direction: "maximize", trials: 2, running: 1, bestTrial: 0, bestValue: 3 },
      { name: "b", direction: "minimize", trials: 0, running: 0, bestTrial: null },
    ]);
  });
});
