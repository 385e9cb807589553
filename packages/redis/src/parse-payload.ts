import type { z } from "zod";
import { MalformedPayloadError } from "./errors.js";

/** Parses a payload with a schema; a mismatch becomes a MalformedPayloadError naming the field. */
export function parsePayload<S extends z.ZodType>(what: string, schema: S, payload: unknown): z.output<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `field "${issue.path.join(".")}": ` : "";
  throw new MalformedPayloadError(what, `${where}${issue?.message ?? "invalid"}`);
}
