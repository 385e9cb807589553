import { fileURLToPath } from "node:url";
import {
  createStudy as createCoreStudy,
  InvalidOptionError,
  loadStudy as loadCoreStudy,
  type CreateStudyOptions,
  type LoadStudyOptions,
  type Storage,
  type Study,
} from "@shoal/core";
import { JournalFileStorage, type JournalOptions } from "./journal-storage.js";

/** A storage option that may also be a journal file: `"file:./study.jsonl"`, a `file://` URL or a plain path. */
export type JournalStorageOption = Storage | string;

/** createStudy's options where `storage` may name a journal file. */
export type CreateJournalStudyOptions = Omit<CreateStudyOptions, "storage"> & { storage?: JournalStorageOption; journal?: JournalOptions };

/** loadStudy's options where `storage` may name a journal file. */
export type LoadJournalStudyOptions = Omit<LoadStudyOptions, "storage"> & { storage: JournalStorageOption; journal?: JournalOptions };

/**
 * The file a storage string names: `file:./study.jsonl` (relative to the working directory),
 * `file:///abs/study.jsonl`, or a plain path. Another scheme is an InvalidOptionError.
 */
export function journalPathOf(storage: string): string {
  if (storage.startsWith("file://")) return fileURLToPath(storage);
  if (storage.startsWith("file:")) return storage.slice("file:".length);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(storage);
  if (scheme) {
    throw new InvalidOptionError(
      "storage",
      `must name a journal file ("file:./study.jsonl" or a path), got a ${scheme[1]}:// URL; for Redis use @shoal/redis's createStudy.`,
    );
  }
  if (storage.length === 0) throw new InvalidOptionError("storage", 'must name a journal file ("file:./study.jsonl" or a path), got "".');
  return storage;
}

function toStorage(storage: JournalStorageOption, options: JournalOptions | undefined, logger: CreateStudyOptions["logger"]): Storage {
  if (typeof storage !== "string") return storage;
  return JournalFileStorage.open(journalPathOf(storage), { ...(logger ? { logger } : {}), ...options });
}

/**
 * Like core's createStudy, with `storage: "file:./study.jsonl"` accepted: the study lives in
 * that journal file (created when missing). With `loadIfExists: true` an existing study of that
 * name is resumed, as Optuna's load_if_exists; without it, an existing name is a StudyNameError.
 */
export function createStudy(options: CreateJournalStudyOptions = {}): Study {
  const { storage: given, journal, ...rest } = options;
  const storage = given === undefined ? undefined : toStorage(given, journal, rest.logger);
  return createCoreStudy({ ...rest, ...(storage ? { storage } : {}) });
}

/** Like core's loadStudy, with `storage: "file:./study.jsonl"` accepted; the study must exist in it. */
export function loadStudy(options: LoadJournalStudyOptions): Study {
  const { storage: given, journal, ...rest } = options;
  return loadCoreStudy({ ...rest, storage: toStorage(given, journal, rest.logger) });
}
