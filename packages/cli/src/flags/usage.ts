import type { Flag, FlagSet, FlagSpec } from "./define.js";

/** How a flag is spelled in the usage text: `-h, --help`, `--trials N`. */
export function flagLabel(name: string, f: Flag<unknown>): string {
  return `${f.short === undefined ? "" : `-${f.short}, `}--${name}${f.value === undefined ? "" : ` ${f.value}`}`;
}

/**
 * The usage text's "Options:" section: one flag a line, in declaration order, each description
 * starting `column` characters after the indent (at least two spaces after the label).
 */
export function formatOptions(set: FlagSet<FlagSpec>, column: number): string {
  const lines = ["Options:"];
  for (const [name, f] of Object.entries(set.flags)) {
    const label = flagLabel(name, f);
    const width = Math.max(column, label.length + 2);
    const [first, ...rest] = helpText(f).split("\n");
    lines.push(`  ${label.padEnd(width)}${first}`);
    // Descriptions are wrapped by hand: each command's text has its own widths, kept as written.
    for (const line of rest) lines.push(`  ${" ".repeat(width)}${line}`);
  }
  return lines.join("\n");
}

/** A flag's description with its default in place of `{default}`. */
export function helpText(f: Flag<unknown>): string {
  if (!f.help.includes("{default}")) return f.help;
  if (f.fallback === undefined) throw new Error(`Shoal internal error: a flag's help says {default} but it has none: ${f.help}`);
  return f.help.replaceAll("{default}", String(f.fallback));
}
