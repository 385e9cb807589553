import { trialViolation } from "../../constraints.js";
import type { StudyDirection } from "../../frozen-trial.js";
import { Role, splitObservations, type NumberSplit, type ObservationIndex } from "./split.js";

/**
 * The single-objective split with a constraints function, as Optuna's TPE: the feasible
 * observations split as usual; if fewer than `nBelow` go below, the infeasible COMPLETE and PRUNED
 * trials fill up, least violation first (a trial without constraint values counts as the most
 * violating). Every other infeasible trial is above.
 */
export function splitConstrained(index: ObservationIndex, direction: StudyDirection, nBelow: number): NumberSplit {
  const roles = Uint8Array.from(index.roles);
  const infeasible: Array<{ number: number; violation: number }> = [];
  for (let i = 0; i < index.count; i++) {
    if (roles[i] !== Role.COMPLETE && roles[i] !== Role.PRUNED) continue;
    const violation = trialViolation(index.trialAt(i));
    if (violation > 0) {
      infeasible.push({ number: i, violation });
      roles[i] = Role.NONE;
    }
  }
  // No ranking passed on: it would hold the infeasible trials too.
  const feasible = splitObservations({ count: index.count, roles, values: index.values, trialAt: (n) => index.trialAt(n) }, direction, nBelow);
  if (infeasible.length === 0) return feasible;
  infeasible.sort((a, b) => a.violation - b.violation || a.number - b.number);
  const fill = Math.max(0, Math.min(nBelow - feasible.below.length, infeasible.length));
  const below = Int32Array.from([...feasible.below, ...infeasible.slice(0, fill).map((x) => x.number)]).sort();
  const above = Int32Array.from([...feasible.above, ...infeasible.slice(fill).map((x) => x.number)]).sort();
  return { below, above };
}
