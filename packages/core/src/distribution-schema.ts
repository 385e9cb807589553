import { z } from "zod";
import type { Distribution, ParamValue } from "./distributions.js";

const finite = z.number().refine(Number.isFinite, { message: "must be a finite number" });

/** A parameter value as it crosses a process or a file: what `trial.params` hold. */
export const paramValueSchema: z.ZodType<ParamValue> = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * A search-space distribution as it crosses a process or a file (Redis jobs and trial hashes,
 * trials.json): the one schema every reader validates against.
 */
export const distributionSchema: z.ZodType<Distribution> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("float"), low: finite, high: finite, step: finite.positive().nullable(), log: z.boolean() }),
  z.object({ kind: z.literal("int"), low: z.number().int(), high: z.number().int(), step: z.number().int().positive(), log: z.boolean() }),
  z.object({ kind: z.literal("categorical"), choices: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).min(1).readonly() }),
]);
