import { existsSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseRedisUrl } from "@shoal/redis";
import { z } from "zod";
import { UsageError } from "./errors.js";

/** A flag's value as a whole number in [min, max]. */
export function intFlag(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .refine((s) => /^[+-]?\d+$/.test(s.trim()) && Number(s) >= min && Number(s) <= max, {
      message: `--${flag} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`}`,
    })
    .transform(Number);
}

/** A flag's value as a number > min (exclusive). */
export function positiveNumberFlag(flag: string, unit: string) {
  return z
    .string()
    .refine((s) => s.trim() !== "" && Number.isFinite(Number(s)) && Number(s) > 0, {
      message: `--${flag} must be a number of ${unit} > 0`,
    })
    .transform(Number);
}

/** A flag whose value is one of `choices`. */
export function choiceFlag<const T extends readonly [string, ...string[]]>(flag: string, choices: T) {
  return z.enum(choices, { message: `--${flag} must be one of ${choices.join(", ")}` });
}

/**
 * Parses argv with node's parseArgs (unknown flags are errors), then validates the values with a
 * zod schema; every problem becomes a UsageError that names the flag, the value and what is allowed.
 */
export function parseFlags<S extends z.ZodType>(
  command: string,
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  schema: S,
): { values: z.output<S>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, ".") : String(error);
    throw new UsageError(message, command);
  }
  const result = schema.safeParse(parsed.values);
  if (!result.success) {
    const issue = result.error.issues[0];
    const flag = issue?.path[0];
    const got = typeof flag === "string" ? parsed.values[flag] : undefined;
    const suffix = got === undefined ? "" : `, got ${JSON.stringify(got)}`;
    throw new UsageError(`${issue?.message ?? "invalid flags"}${suffix}.`, command);
  }
  return { values: result.data, positionals: parsed.positionals };
}

/** Resolves and checks an objective module path: it must exist and be .js, .mjs or .ts. */
export function checkObjectiveModule(resolved: string, command: string): string {
  if (!existsSync(resolved)) throw new UsageError(`the objective module ${resolved} does not exist.`, command);
  if (!/\.(m?js|ts|mts)$/.test(resolved)) {
    throw new UsageError(`the objective module must be a .js, .mjs or .ts file, got ${resolved}.`, command);
  }
  return resolved;
}

/** Checks a --redis URL (redis:// or rediss://), turning a bad one into a usage error. */
export function parseRedisFlag(url: string, command: string): string {
  try {
    parseRedisUrl(url);
  } catch (error) {
    throw new UsageError(`--redis: ${(error as Error).message}`, command);
  }
  return url;
}
