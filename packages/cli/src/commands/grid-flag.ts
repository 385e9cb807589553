import type { GridSearchSpace } from "@shoal/core";
import { z } from "zod";
import { UsageError } from "../errors.js";

const gridSchema = z.record(z.string().min(1), z.array(z.union([z.number(), z.string(), z.boolean(), z.null()])).min(1));

/**
 * `--grid JSON`, the grid of `--sampler grid`: an object of each parameter's values, e.g.
 * '{"n_estimators": [10, 50, 100], "criterion": ["gini", "entropy"]}'. Needs --sampler grid, and
 * --sampler grid needs it.
 */
export function gridFlag(sampler: string, text: string | undefined): GridSearchSpace | undefined {
  if (text === undefined) {
    if (sampler === "grid") throw new UsageError(`--sampler grid needs --grid JSON, each parameter's values, e.g. --grid '{"x": [0, 1, 2]}'.`, "optimize");
    return undefined;
  }
  if (sampler !== "grid") throw new UsageError(`--grid is the grid of --sampler grid, got --sampler ${sampler}.`, "optimize");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--grid must be a JSON object of each parameter's values, e.g. '{"x": [0, 1, 2]}': ${(error as Error).message}.`, "optimize");
  }
  const result = gridSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join(".")})` : "";
    throw new UsageError(`--grid must map each parameter to a non-empty array of numbers, strings, booleans or null${where}: ${issue?.message ?? "invalid"}.`, "optimize");
  }
  if (Object.keys(result.data).length === 0) throw new UsageError("--grid must name at least one parameter.", "optimize");
  return result.data;
}
