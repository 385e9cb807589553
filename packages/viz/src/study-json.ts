import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseStudyJson, StudyJsonError } from "@shoal/core";
import { StudySnapshot } from "./study-snapshot.js";

/**
 * Reads a study written by `shoal optimize --out DIR`: `file` is DIR/trials.json or DIR itself.
 * Validated at this boundary (StudyJsonError names the first bad field, see core's study-json); dates come back as Dates.
 */
export async function readStudyJson(file: string): Promise<StudySnapshot> {
  const resolved = await resolveStudyFile(file);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(resolved, "utf8"));
  } catch (error) {
    throw new StudyJsonError(`Cannot read the study at ${resolved}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return studySnapshotOf(raw, resolved);
}

/** A StudySnapshot of a parsed trials.json document (core's parseStudyJson validates it); `source` names it in errors. */
export function studySnapshotOf(raw: unknown, source?: string): StudySnapshot {
  const { studyName, directions, trials } = parseStudyJson(raw, source);
  return new StudySnapshot(studyName, directions, trials);
}

async function resolveStudyFile(file: string): Promise<string> {
  const info = await stat(file).catch(() => null);
  if (info === null) {
    throw new StudyJsonError(`No study at ${file}: write one with \`shoal optimize <objective> --trials N --out DIR\`, then pass DIR.`);
  }
  if (!info.isDirectory()) return file;
  const inside = path.join(file, "trials.json");
  if (!(await stat(inside).catch(() => null))) {
    throw new StudyJsonError(`No trials.json in ${file}: write one with \`shoal optimize <objective> --trials N --out ${file}\`.`);
  }
  return inside;
}
