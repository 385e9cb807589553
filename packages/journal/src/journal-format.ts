import { distributionSchema, paramValueSchema, TrialState, type Distribution, type ParamValue, type StudyDirection } from "@shoal/core";
import { z } from "zod";

/**
 * The journal file's format: JSON Lines, a header line, then one record per change to the
 * storage, in the order the changes were made. Each record names the Storage method that made it
 * (`op`) and carries what replaying it needs, times included, so that every reader rebuilds the
 * same studies. Trials are named by study name and number; values that JSON cannot hold (NaN,
 * Infinity) are written as strings. The schemas here are the one place a record's shape is said.
 */
export const JOURNAL_FORMAT = "shoal.journal/v1";

/** The first line of every journal. */
export interface JournalHeader {
  readonly format: typeof JOURNAL_FORMAT;
  /** When the journal was started (ISO). */
  readonly createdAt: string;
}

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: "must be an ISO date" });

/** A number as the journal writes it: a JSON number, or "NaN", "Infinity", "-Infinity". */
const journalNumber = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"]).transform(Number)]);

const trialRef = { study: z.string().min(1), number: z.number().int().nonnegative() };
const attrs = z.record(z.string(), z.unknown());

const headerSchema = z.object({ format: z.literal(JOURNAL_FORMAT), createdAt: isoDate });

const recordSchema = z.discriminatedUnion("op", [
  // One objective: `direction` (as before multi-objective studies); several: `directions`.
  z
    .object({
      op: z.literal("createStudy"),
      study: z.string().min(1),
      direction: z.enum(["minimize", "maximize"]).optional(),
      directions: z.array(z.enum(["minimize", "maximize"])).min(1).optional(),
    })
    .refine((r) => (r.direction === undefined) !== (r.directions === undefined), { message: "needs direction or directions", path: ["directions"] }),
  z.object({ op: z.literal("setStudyUserAttr"), study: z.string().min(1), key: z.string(), value: z.unknown() }),
  z.object({
    op: z.literal("createTrial"),
    ...trialRef,
    state: z.enum([TrialState.RUNNING, TrialState.WAITING]),
    userAttrs: attrs,
    systemAttrs: attrs,
    start: isoDate.nullable(),
  }),
  z.object({ op: z.literal("popWaitingTrial"), ...trialRef, start: isoDate, worker: z.string() }),
  z.object({ op: z.literal("setTrialParam"), ...trialRef, name: z.string().min(1), value: paramValueSchema, distribution: distributionSchema }),
  z.object({ op: z.literal("deleteTrialParam"), ...trialRef, name: z.string().min(1) }),
  z.object({
    op: z.literal("setTrialState"),
    ...trialRef,
    state: z.enum(TrialState),
    value: journalNumber.nullable(),
    /** A multi-objective trial's values (absent for one objective: `value`). */
    values: z.array(journalNumber).nullable().optional(),
    start: isoDate.nullable(),
    complete: isoDate.nullable(),
  }),
  z.object({ op: z.literal("setTrialIntermediateValue"), ...trialRef, step: z.number().int().nonnegative(), value: journalNumber }),
  z.object({ op: z.literal("setTrialUserAttr"), ...trialRef, key: z.string(), value: z.unknown() }),
  z.object({ op: z.literal("setTrialSystemAttr"), ...trialRef, key: z.string(), value: z.unknown() }),
]);

/** One change to the storage, as read back (numbers decoded). */
export type JournalRecord = z.output<typeof recordSchema>;

/** A record as written: dates as ISO strings, numbers may be non-finite. */
export type JournalRecordInput =
  | { op: "createStudy"; study: string; direction: StudyDirection }
  | { op: "createStudy"; study: string; directions: readonly StudyDirection[] }
  | { op: "setStudyUserAttr"; study: string; key: string; value: unknown }
  | {
      op: "createTrial";
      study: string;
      number: number;
      state: typeof TrialState.RUNNING | typeof TrialState.WAITING;
      userAttrs: Record<string, unknown>;
      systemAttrs: Record<string, unknown>;
      start: string | null;
    }
  | { op: "popWaitingTrial"; study: string; number: number; start: string; worker: string }
  | { op: "setTrialParam"; study: string; number: number; name: string; value: ParamValue; distribution: Distribution }
  | { op: "deleteTrialParam"; study: string; number: number; name: string }
  | {
      op: "setTrialState";
      study: string;
      number: number;
      state: TrialState;
      value: number | null;
      values?: readonly number[];
      start: string | null;
      complete: string | null;
    }
  | { op: "setTrialIntermediateValue"; study: string; number: number; step: number; value: number }
  | { op: "setTrialUserAttr"; study: string; number: number; key: string; value: unknown }
  | { op: "setTrialSystemAttr"; study: string; number: number; key: string; value: unknown };

/** JSON.stringify's replacer that keeps NaN and the infinities as strings instead of null. */
function keepNonFinite(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

/** The header line (with its newline) of a new journal. */
export function headerLine(now: Date): string {
  const header: JournalHeader = { format: JOURNAL_FORMAT, createdAt: now.toISOString() };
  return `${JSON.stringify(header)}\n`;
}

/** A record's line, with its newline. */
export function recordLine(record: JournalRecordInput): string {
  // Only the record's own numbers go through the replacer's strings; a user attr's NaN is
  // written as a string too, which JSON could not have kept anyway.
  return `${JSON.stringify(record, keepNonFinite)}\n`;
}

/** Why a line is not a record (or not the header): a short message, or null when it is one. */
export type LineParse<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseWith<T>(schema: z.ZodType<T>, text: string): LineParse<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not valid JSON" };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  return { ok: false, reason: `${issue?.message ?? "invalid"}${where}` };
}

/** Parses the header line. */
export function parseHeader(text: string): LineParse<JournalHeader> {
  return parseWith(headerSchema, text) as LineParse<JournalHeader>;
}

/** Parses one record line. */
export function parseRecord(text: string): LineParse<JournalRecord> {
  return parseWith(recordSchema, text);
}
