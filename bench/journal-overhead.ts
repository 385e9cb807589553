/**
 * What the journal file costs per trial: N trials (default 1,000) of a free D-float objective
 * with the random sampler, through ask/tell, in memory, in a journal without fsync and in a
 * journal with fsync per record (the default). Each record takes the lock, checks for other
 * processes' records and appends; with fsync it also waits for the disk. A trial of D params is
 * D + 2 records (create, D params, state).
 *
 * The journal lives in a temporary directory on the disk of os.tmpdir() (--dir PATH for another
 * one: fsync's cost is the disk's). Each storage runs --repeat times (default 3), fastest shown.
 *
 *   tsx journal-overhead.ts [--trials N] [--dims D] [--repeat R] [--dir PATH]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createLogger, createStudy, InMemoryStorage, RandomSampler, type BaseTrial, type Storage } from "@shoal/core";
import { JournalFileStorage } from "@shoal/journal";
import { formatTable, intFlag, parseFlags } from "./anchor.js";

const flags = parseFlags(process.argv.slice(2));
const N = intFlag(flags, "trials", 1000);
const D = intFlag(flags, "dims", 5);
const REPEAT = intFlag(flags, "repeat", 3);
const base = typeof flags.get("dir") === "string" ? (flags.get("dir") as string) : os.tmpdir();
const silent = createLogger({ level: "silent" });

function objective(t: BaseTrial): number {
  let sum = 0;
  for (let i = 0; i < D; i++) sum += t.suggestFloat(`x${i}`, -5, 5) ** 2;
  return sum;
}

/** Seconds for N trials on a fresh storage, and the journal's size. */
function timeStorage(make: (dir: string) => Storage): { seconds: number; bytes: number | null } {
  const dir = mkdtempSync(path.join(base, "shoal-journal-bench-"));
  try {
    const storage = make(dir);
    const study = createStudy({ storage, sampler: new RandomSampler({ seed: 0 }), logger: silent, studyName: "bench" });
    const t0 = performance.now();
    for (let k = 0; k < N; k++) {
      const trial = study.ask();
      study.tell(trial, objective(trial));
    }
    const seconds = (performance.now() - t0) / 1000;
    if (study.trials.length !== N) throw new Error("the study lost trials");
    let bytes: number | null = null;
    if (storage instanceof JournalFileStorage) {
      bytes = statSync(storage.path).size;
      storage.close();
    }
    return { seconds, bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const storages: Record<string, (dir: string) => Storage> = {
  "in memory": () => new InMemoryStorage(),
  "journal, fsync: false": (dir) => JournalFileStorage.open(path.join(dir, "study.jsonl"), { fsync: false, logger: silent }),
  "journal, fsync per record (default)": (dir) => JournalFileStorage.open(path.join(dir, "study.jsonl"), { logger: silent }),
};

console.log(
  `Journal overhead: ${N} trials, ${D} floats, random sampler, free objective (Node ${process.version}, ${os.cpus().length} cores, ` +
    `load average ${os.loadavg()[0]?.toFixed(1)}); journal in ${base}; fastest of ${REPEAT}`,
);
const rows: string[][] = [["storage", "total (s)", "per trial (ms)", "per record (us)", "journal size"]];
let memoryPerTrial = 0;
for (const [name, make] of Object.entries(storages)) {
  const runs = Array.from({ length: REPEAT }, () => timeStorage(make));
  const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const perTrial = (best.seconds * 1000) / N;
  if (name === "in memory") memoryPerTrial = perTrial;
  rows.push([
    name,
    best.seconds.toFixed(3),
    `${perTrial.toFixed(3)}${name === "in memory" ? "" : ` (+${(perTrial - memoryPerTrial).toFixed(3)})`}`,
    name === "in memory" ? "" : ((perTrial - memoryPerTrial) * 1000 / (D + 2)).toFixed(0),
    best.bytes === null ? "" : `${(best.bytes / 2 ** 20).toFixed(2)} MB`,
  ]);
}
console.log(formatTable(rows));
