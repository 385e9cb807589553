import type { Distribution, ParamValue } from "./distributions.js";

/**
 * A float as Python's repr prints it (0.1, 6.0, 1e-05, 1e+16, nan, inf), so log lines read like
 * Optuna's.
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    // Python: shortest digits, scientific with at least two exponent digits.
    const [mantissa, exp] = x.toExponential().split("e") as [string, string];
    const sign = exp.startsWith("-") ? "-" : "+";
    const digits = exp.replace(/^[+-]/, "").padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  const s = String(x);
  return s.includes(".") || s.includes("e") ? s : `${s}.0`;
}

/** A param value as Python would print it in a dict; floats of a float distribution keep their ".0". */
export function pyValue(value: ParamValue | unknown, distribution?: Distribution): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (typeof value === "number") {
    const isInt = distribution?.kind === "int" || (distribution?.kind === "categorical" && Number.isInteger(value));
    return isInt && Number.isInteger(value) ? String(value) : pyFloat(value);
  }
  return JSON.stringify(value);
}

/** `{'x': -2.34, 'y': 1}`: params the way Optuna's log lines show them. */
export function pyParams(
  params: Readonly<Record<string, ParamValue>>,
  distributions: Readonly<Record<string, Distribution>> = {},
): string {
  const parts = Object.entries(params).map(([k, v]) => `'${k}': ${pyValue(v, distributions[k])}`);
  return `{${parts.join(", ")}}`;
}
