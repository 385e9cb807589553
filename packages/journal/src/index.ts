/**
 * @shoal/journal: an embedded study kept in a journal file (append-only JSON Lines), so that it
 * survives its process, resumes after a crash, and can be shared by several processes.
 */
export { JournalFormatError, JournalLockError, JournalWriteError } from "./errors.js";
export { FileLock, type FileLockOptions, type LockHolder } from "./file-lock.js";
export { JOURNAL_FORMAT, type JournalHeader, type JournalRecord } from "./journal-format.js";
export { JournalFileStorage, type JournalOptions } from "./journal-storage.js";
export { isProcessAlive, ownerName, parseOwner } from "./process-owner.js";
export {
  createStudy,
  journalPathOf,
  loadStudy,
  type CreateJournalStudyOptions,
  type JournalStorageOption,
  type LoadJournalStudyOptions,
} from "./study-factory.js";
