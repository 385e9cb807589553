import { parseArgs } from "node:util";
import { UsageError } from "../errors.js";
import type { FlagSet, FlagSpec, FlagValues } from "./define.js";

/**
 * Parses argv with node's parseArgs (unknown flags are errors), then validates the values with the
 * flags' schema; every problem becomes a UsageError that names the flag, the value and what is allowed.
 */
export function parseFlags<F extends FlagSet<FlagSpec>>(
  command: string,
  argv: readonly string[],
  flags: F,
): { values: FlagValues<F>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: flags.options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, ".") : String(error);
    throw new UsageError(message, command);
  }
  const result = flags.schema.safeParse(parsed.values);
  if (!result.success) {
    const issue = result.error.issues[0];
    const flag = issue?.path[0];
    const got = typeof flag === "string" ? parsed.values[flag] : undefined;
    const suffix = got === undefined ? "" : `, got ${JSON.stringify(got)}`;
    throw new UsageError(`${issue?.message ?? "invalid flags"}${suffix}.`, command);
  }
  return { values: result.data as FlagValues<F>, positionals: parsed.positionals };
}
