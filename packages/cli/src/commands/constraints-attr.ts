import type { ConstraintsFunc } from "@shoal/core";

/**
 * The constraints function of `--constraints-attr NAME`: a trial's constraint values are the
 * numbers its objective stored with `trial.setUserAttr(NAME, [c1, c2, ...])` (each <= 0 holds; a
 * single number is one constraint). A trial that stored none, or something else, is infeasible
 * (Infinity): nothing says its constraints hold. The function runs wherever trials are told (the
 * coordinator, in a cluster), which cannot load the objective module, hence a user attr.
 */
export function constraintsFromUserAttr(name: string): ConstraintsFunc {
  return (trial) => {
    const value = trial.userAttrs[name];
    if (typeof value === "number" && !Number.isNaN(value)) return [value];
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "number" && !Number.isNaN(v))) return value as number[];
    return [Number.POSITIVE_INFINITY];
  };
}
