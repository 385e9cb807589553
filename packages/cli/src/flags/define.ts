import type { ParseArgsConfig } from "node:util";
import { z } from "zod";
import { choiceFlag, intFlag, positiveNumberFlag } from "./schemas.js";

/**
 * One flag, declared once: how parseArgs reads it, how its value is checked and typed, and its line
 * in the usage text. `Out` is the flag's value after validation (undefined when absent and no default).
 */
export interface Flag<Out> {
  /** What parseArgs reads: a value (every non-boolean flag, checked later by `schema`) or a switch. */
  readonly type: "string" | "boolean";
  /** The value's name in the usage text, as in `--trials N`; none for a boolean. */
  readonly value?: string;
  readonly short?: string;
  /**
   * The usage text's description; a "\n" starts a line of its own, lined up under the first, and
   * `{default}` stands for the default, so that it is written once.
   */
  readonly help: string;
  /** The value when the flag is not given (shown where the help says `{default}`). */
  readonly fallback?: unknown;
  /** Checks, converts and defaults the raw value; takes the flag's name because the messages quote it. */
  readonly schema: (name: string) => z.ZodType<Out>;
}

/** What the usage text shows of a flag that takes a value. */
interface Shown {
  readonly value: string;
  readonly help: string;
  readonly short?: string;
}

/** The default's type decides whether the value may be undefined. */
type Defaulted<T, D> = D extends undefined ? T | undefined : T;

/**
 * A text value. It must not be empty unless `allowEmpty`; with `pattern` it must match it.
 * `rule` is the message after the flag's name (`--out must name a directory`); without it zod's own.
 */
function text(options: Shown & { rule?: string; pattern?: RegExp; allowEmpty?: true }): Flag<string | undefined> {
  const { rule, pattern, allowEmpty, ...shown } = options;
  return {
    type: "string",
    ...shown,
    schema: (name) => {
      const message = rule === undefined ? undefined : { message: `--${name} ${rule}` };
      if (pattern !== undefined) return z.string().regex(pattern, message).optional();
      return (allowEmpty ? z.string() : z.string().min(1, message)).optional();
    },
  };
}

/** A whole number in [min, max] (max defaults to Number.MAX_SAFE_INTEGER). */
function int<D extends number | undefined = undefined>(
  options: Shown & { min: number; max?: number; default?: D },
): Flag<Defaulted<number, D>> {
  const { min, max, default: fallback, ...shown } = options;
  return {
    type: "string",
    ...shown,
    fallback,
    schema: (name) => withDefault(intFlag(name, min, max), fallback) as z.ZodType<Defaulted<number, D>>,
  };
}

/** A number > 0 of `unit`s (seconds, say). */
function positiveNumber(options: Shown & { unit: string }): Flag<number | undefined> {
  const { unit, ...shown } = options;
  return { type: "string", ...shown, schema: (name) => positiveNumberFlag(name, unit).optional() };
}

/** One of `choices`. */
function choice<const C extends readonly [string, ...string[]], D extends C[number] | undefined = undefined>(
  options: Shown & { choices: C; default?: D },
): Flag<Defaulted<C[number], D>> {
  const { choices, default: fallback, ...shown } = options;
  return {
    type: "string",
    ...shown,
    fallback,
    schema: (name) => withDefault(choiceFlag(name, choices), fallback) as z.ZodType<Defaulted<C[number], D>>,
  };
}

/** A switch: true when given, false when not. */
function boolean(options: { help: string; short?: string }): Flag<boolean> {
  return { type: "boolean", ...options, schema: () => z.boolean().default(false) };
}

function withDefault<S extends z.ZodType>(schema: S, fallback: z.output<S> | undefined): z.ZodType {
  return fallback === undefined ? schema.optional() : schema.default(fallback as never);
}

/** The kinds of flag a command declares. */
export const flag = { text, int, positiveNumber, choice, boolean };

/** Every command's -h/--help, so no command can forget it or spell it differently. */
export const helpFlag: Flag<boolean> = boolean({ short: "h", help: "this help" });

/** A command's flags, by name (without the dashes), in the order of the usage text. */
export type FlagSpec = Readonly<Record<string, Flag<unknown>>>;

type ValuesOf<S extends FlagSpec> = { -readonly [K in keyof S]: z.output<ReturnType<S[K]["schema"]>> };

/** The validated values of a command's flags (`FlagValues<typeof workerFlags>`), typed from their declarations. */
export type FlagValues<F extends FlagSet<FlagSpec>> = F extends FlagSet<infer S> ? ValuesOf<S> : never;

/** A command's declared flags with what is derived from them, once. */
export interface FlagSet<S extends FlagSpec> {
  readonly flags: S;
  /** For node:util parseArgs. */
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  /**
   * The zod schema of parseArgs' values. Its keys keep the declaration order, which decides
   * which of several bad flags the error names.
   */
  readonly schema: z.ZodType<ValuesOf<S>>;
}

/** Declares a command's flags (and -h/--help, last); parseArgs options and zod schema are derived. */
export function defineFlags<const S extends FlagSpec>(spec: S): FlagSet<S & { help: Flag<boolean> }> {
  const flags = { ...spec, help: helpFlag };
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  const shape: Record<string, z.ZodType> = {};
  for (const [name, f] of Object.entries(flags)) {
    options[name] = f.short === undefined ? { type: f.type } : { type: f.type, short: f.short };
    shape[name] = f.schema(name);
  }
  return { flags, options, schema: z.object(shape) as unknown as z.ZodType<ValuesOf<S & { help: Flag<boolean> }>> };
}
