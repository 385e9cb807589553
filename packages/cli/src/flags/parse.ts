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
    parsed = parseArgs({ args: withNegativeValues(argv, flags), options: flags.options, allowPositionals: true, strict: true });
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

/** A value that starts with a dash but is a number, as in `--trials -5`. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * Joins `--flag -5` into `--flag=-5` for flags that take a value, so that a negative number gets
 * the flag's own range message rather than parseArgs' "argument is ambiguous".
 */
function withNegativeValues(argv: readonly string[], flags: FlagSet<FlagSpec>): string[] {
  const takesValue = new Set<string>();
  for (const [name, f] of Object.entries(flags.flags)) {
    if (f.type !== "string") continue;
    takesValue.add(`--${name}`);
    if (f.short !== undefined) takesValue.add(`-${f.short}`);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (takesValue.has(arg) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else out.push(arg);
  }
  return out;
}
