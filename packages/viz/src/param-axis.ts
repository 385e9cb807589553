import type { Distribution, ParamValue } from "@shoal/core";

/**
 * The x or y axis a user expects for a parameter: a log axis for log ranges, a categorical axis
 * that lists every choice in the order they were declared, a linear axis otherwise.
 */
export function paramAxis(name: string, d: Distribution): Record<string, unknown> {
  if (d.kind === "categorical") {
    return { title: { text: name }, type: "category", categoryorder: "array", categoryarray: d.choices.map(choiceLabel) };
  }
  return { title: { text: name }, type: d.log ? "log" : "linear" };
}

/** The value to plot on a param axis: categorical choices as their labels, numbers as they are. */
export function axisValue(d: Distribution, value: ParamValue): number | string {
  return d.kind === "categorical" ? choiceLabel(value) : (value as number);
}

/** A categorical choice as text: plotly's category axes want strings, and null must show. */
export function choiceLabel(value: ParamValue): string {
  return value === null ? "null" : String(value);
}
