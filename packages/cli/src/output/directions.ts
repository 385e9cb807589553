import { pyFloat, pyParams, type FrozenTrial, type StudyDirection } from "@shoal/core";

/** How a study's directions read in a line: `minimize`, or `minimize, maximize`. */
export function directionsLabel(directions: readonly StudyDirection[]): string {
  return directions.join(", ");
}

/** A trial's values as Optuna prints them: `[0.1, 2.0]`. */
export function valuesLabel(values: readonly number[] | null): string {
  return values === null ? "[]" : `[${values.map(pyFloat).join(", ")}]`;
}

/** The lines showing a multi-objective study's Pareto front (its first `limit` trials). */
export function paretoFrontLines(front: readonly FrozenTrial[], limit = 10): string[] {
  if (front.length === 0) return ["Pareto front: none yet (no completed trial)"];
  const lines = [`Pareto front: ${front.length} trial${front.length === 1 ? "" : "s"}`];
  for (const t of front.slice(0, limit)) lines.push(`  #${t.number}  values ${valuesLabel(t.values)}  ${pyParams(t.params, t.distributions)}`);
  if (front.length > limit) lines.push(`  ... and ${front.length - limit} more (shoal trials lists them all)`);
  return lines;
}
