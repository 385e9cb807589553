import {
  createStudy as createCoreStudy,
  loadStudy as loadCoreStudy,
  StudyNameError,
  type CreateStudyOptions,
  type LoadStudyOptions,
  type Storage,
  type Study,
} from "@shoal/core";
import { RedisStorage } from "./redis-storage.js";
import { checkKeyName } from "./keys.js";

/** A storage option that may also be a `redis://` or `rediss://` URL. */
export type StorageOption = Storage | string;

/** createStudy's options where `storage` may be a Redis URL. */
export type CreateRedisStudyOptions = Omit<CreateStudyOptions, "storage"> & { storage?: StorageOption; prefix?: string };

/** loadStudy's options where `storage` may be a Redis URL. */
export type LoadRedisStudyOptions = Omit<LoadStudyOptions, "storage"> & { storage: StorageOption; prefix?: string };

function toStorage(storage: StorageOption, prefix?: string): Storage {
  if (typeof storage !== "string") return storage;
  return RedisStorage.connect(storage, prefix === undefined ? {} : { prefix });
}

/**
 * Like core's createStudy, with `storage: "redis://..."` accepted: the study (and with
 * `loadIfExists`, its trials) comes from Redis.
 */
export async function createStudy(options: CreateRedisStudyOptions = {}): Promise<Study> {
  const { storage: given, prefix, ...rest } = options;
  const storage = given === undefined ? undefined : toStorage(given, prefix);
  if (storage instanceof RedisStorage && rest.studyName !== undefined) {
    checkKeyName("studyName", rest.studyName);
    const exists = await storage.loadStudy(rest.studyName);
    if (exists && !rest.loadIfExists) {
      throw new StudyNameError(`A study named "${rest.studyName}" already exists in Redis; pass loadIfExists: true to resume it.`);
    }
  }
  const study = createCoreStudy({ ...rest, ...(storage ? { storage } : {}) });
  await storage?.flush?.();
  return study;
}

/** Like core's loadStudy, with `storage: "redis://..."` accepted. */
export async function loadStudy(options: LoadRedisStudyOptions): Promise<Study> {
  const { storage: given, prefix, ...rest } = options;
  const storage = toStorage(given, prefix);
  if (storage instanceof RedisStorage && !(await storage.loadStudy(rest.studyName))) {
    throw new StudyNameError(`No study named "${rest.studyName}" exists in Redis at this prefix.`);
  }
  return loadCoreStudy({ ...rest, storage });
}
