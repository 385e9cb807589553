import { z } from "zod";

/** A flag's value as a whole number in [min, max]. */
export function intFlag(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z
    .string()
    .refine((s) => /^[+-]?\d+$/.test(s.trim()) && Number(s) >= min && Number(s) <= max, {
      message: `--${flag} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`}`,
    })
    .transform(Number);
}

/** A flag's value as a number > 0, in `unit`s. */
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
