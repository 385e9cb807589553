import { distributionSchema, paramValueSchema, singleValue, type Distribution, type FrozenTrial, type ParamValue, type TrialEnd } from "@shoal/core";
import { z } from "zod";
import { parsePayload } from "./parse-payload.js";
import { decodeIntermediateValues } from "./trial-values.js";

const paramsSchema = z.record(z.string(), paramValueSchema);
const distributionsSchema = z.record(z.string(), distributionSchema);
const stateSchema = z.enum(["RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"]);
const finalStateSchema = z.enum(["COMPLETE", "PRUNED", "FAIL"]);

/** The payload of a trial job on the queue: data only, never code. */
export const trialJobSchema = z.object({
  v: z.literal(1),
  study: z.string().min(1),
  number: z.number().int().nonnegative(),
  /** The objective the job is for (see `objectiveId`); null when the coordinator does not know it. */
  objective: z.string().nullable(),
  /** Values the coordinator sampled; the objective may not ask for all of them (conditional spaces). */
  params: paramsSchema,
  distributions: distributionsSchema,
  /** Fixed by enqueueTrial: used even when out of the pre-sampled space. */
  fixedParams: paramsSchema.default({}),
  /** Seeds the worker's sampling of parameters the job does not carry. */
  seed: z.number().int().nonnegative(),
  /** The study's (first) direction, for the worker's pruner. */
  direction: z.enum(["minimize", "maximize"]),
  /** Every direction of a multi-objective study (absent: one objective, `direction`). */
  directions: z.array(z.enum(["minimize", "maximize"])).min(1).optional(),
});
export type TrialJob = z.infer<typeof trialJobSchema>;

/**
 * What a worker returns for a trial job: the whole outcome, recorded once by the coordinator.
 * Its state, value and reasons are a TrialEnd that the worker judged (core's judgeTrialEnd).
 */
export const trialResultSchema = z
  .object({
    v: z.literal(1),
    study: z.string(),
    number: z.number().int().nonnegative(),
    state: finalStateSchema,
    /** Non-finite values travel as null with a failReason. One objective: its value; several: null. */
    value: z.number().nullable(),
    /** One per objective (absent from older workers: [value]). */
    values: z.array(z.number()).nullable().optional(),
    params: paramsSchema,
    distributions: distributionsSchema,
    userAttrs: z.record(z.string(), z.unknown()),
    intermediateValues: z.record(z.string(), z.number()),
    failReason: z.string().nullable(),
    /** A pruned trial's TrialPruned message, for the coordinator's log line (absent from older workers). */
    prunedMessage: z.string().nullable().optional(),
    worker: z.string(),
    datetimeStart: z.string(),
    datetimeComplete: z.string(),
  })
  .refine((r) => r.state !== "COMPLETE" || resultValues(r)?.every(Number.isFinite) === true, {
    message: "a COMPLETE trial needs finite values",
    path: ["values"],
  })
  .refine((r) => r.state !== "FAIL" || r.failReason !== null, { message: "a FAIL trial needs a failReason", path: ["failReason"] });
export type TrialResult = z.infer<typeof trialResultSchema>;

/** A result's values: `values`, or `[value]` from a worker that sends only that. */
function resultValues(r: { value: number | null; values?: number[] | null | undefined }): number[] | null {
  if (r.values !== undefined) return r.values;
  return r.value === null ? null : [r.value];
}

/** The end a worker judged for its trial, as the study records it. */
export function trialEndOf(result: TrialResult): TrialEnd {
  return {
    state: result.state,
    values: result.state === "FAIL" ? null : resultValues(result),
    failReason: result.state === "FAIL" ? result.failReason : null,
    prunedMessage: result.state === "PRUNED" ? (result.prunedMessage ?? null) : null,
    error: null,
  };
}

const jsonField = <S extends z.ZodType>(schema: S) =>
  z.string().transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "is not JSON" });
      return z.NEVER;
    }
  }).pipe(schema);

const optionalDate = z
  .string()
  .optional()
  .transform((s) => (s ? new Date(s) : null));

/** A trial's hash as Shoal writes it (all strings), parsed back into a FrozenTrial's fields. */
export const trialHashSchema = z.object({
  number: z.coerce.number().int().nonnegative(),
  state: stateSchema,
  value: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s === "" ? null : Number(s))),
  /** A multi-objective trial's values, as a JSON array (absent for one objective: `value`). */
  values: jsonField(z.array(z.number())).optional(),
  params: jsonField(paramsSchema),
  distributions: jsonField(distributionsSchema),
  userAttrs: jsonField(z.record(z.string(), z.unknown())).optional(),
  systemAttrs: jsonField(z.record(z.string(), z.unknown())).optional(),
  datetimeStart: optionalDate,
  datetimeComplete: optionalDate,
  worker: z.string().optional(),
});

/** Turns a trial hash (and its intermediate-values hash) into a FrozenTrial. */
export function frozenTrialFromHash(
  trialId: number,
  hash: Record<string, string>,
  values: Record<string, string>,
  what: string,
): FrozenTrial {
  const t = parsePayload(what, trialHashSchema, hash);
  const intermediateValues = decodeIntermediateValues(values);
  const systemAttrs = { ...(t.systemAttrs ?? {}) };
  if (t.worker) systemAttrs.worker = t.worker;
  const trialValues = t.values ?? (t.value === null ? null : [t.value]);
  return {
    trialId,
    number: t.number,
    state: t.state,
    value: singleValue(trialValues),
    values: trialValues,
    params: t.params as Record<string, ParamValue>,
    distributions: t.distributions as Record<string, Distribution>,
    userAttrs: t.userAttrs ?? {},
    systemAttrs,
    intermediateValues,
    datetimeStart: t.datetimeStart,
    datetimeComplete: t.datetimeComplete,
    duration:
      t.datetimeStart && t.datetimeComplete ? t.datetimeComplete.getTime() - t.datetimeStart.getTime() : null,
  };
}

/** The hash fields of a trial, as written to Redis. */
export function trialToHash(t: FrozenTrial): Record<string, string> {
  const { worker, ...systemAttrs } = t.systemAttrs as Record<string, unknown>;
  return {
    number: String(t.number),
    state: t.state,
    value: t.value === null ? "" : String(t.value),
    ...(t.values !== null && t.values.length > 1 ? { values: JSON.stringify(t.values) } : {}),
    params: JSON.stringify(t.params),
    distributions: JSON.stringify(t.distributions),
    userAttrs: JSON.stringify(t.userAttrs),
    systemAttrs: JSON.stringify(systemAttrs),
    datetimeStart: t.datetimeStart?.toISOString() ?? "",
    datetimeComplete: t.datetimeComplete?.toISOString() ?? "",
    ...(typeof worker === "string" ? { worker } : {}),
  };
}
