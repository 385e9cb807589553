import { describe, expect, it } from "vitest";
import type { FrozenTrial } from "../../frozen-trial.js";
import { splitConstrained } from "./constrained-split.js";
import { Role, type ObservationIndex } from "./split.js";
import { COMPLETE, frozenTrial, PRUNED, RUNNING } from "./test-fixtures/trials.js";

/** An index over `trials` (numbered 0..n-1); `constraints[i]` becomes trial i's system attr. */
function indexOf(trials: FrozenTrial[], constraints: Array<number[] | undefined>): ObservationIndex {
  const withAttrs = trials.map((t, i) => (constraints[i] === undefined ? t : { ...t, systemAttrs: { constraints: constraints[i] } }));
  const roles = Uint8Array.from(withAttrs, (t) => (t.state === COMPLETE ? Role.COMPLETE : t.state === PRUNED ? Role.PRUNED : t.state === RUNNING ? Role.RUNNING : Role.NONE));
  const values = Float64Array.from(withAttrs, (t) => t.value ?? Number.NaN);
  return { count: trials.length, roles, values, trialAt: (n) => withAttrs[n] as FrozenTrial };
}

describe("splitConstrained", () => {
  it("never puts an infeasible trial below while enough feasible ones are there, however good its value", () => {
    const trials = [0.1, 5, 0.2, 3, 4].map((v, i) => frozenTrial(i, COMPLETE, v));
    const split = splitConstrained(indexOf(trials, [[1], [0], [0.5], [-1], [0]]), "minimize", 2);
    expect([...split.below]).toEqual([3, 4]);
    expect([...split.above]).toEqual([0, 1, 2]);
  });

  it("fills up with the least violating infeasible trials; a trial without constraint values counts as the most violating", () => {
    const trials = [1, 2, 3, 4, 5].map((v, i) => frozenTrial(i, COMPLETE, v));
    const split = splitConstrained(indexOf(trials, [undefined, [3], [0], [0.5, 0.5], [2]]), "minimize", 3);
    // Feasible: 2. Then violations 1 (trial 3), 2 (trial 4), 3 (trial 1), Infinity (trial 0).
    expect([...split.below]).toEqual([2, 3, 4]);
    expect([...split.above]).toEqual([0, 1]);
  });

  it("keeps PRUNED and RUNNING trials where the plain split puts them, infeasible PRUNED ones last", () => {
    const trials = [frozenTrial(0, COMPLETE, 1), frozenTrial(1, PRUNED, null, {}, {}, { 0: 0.5 }), frozenTrial(2, PRUNED, null, {}, {}, { 0: 0.1 }), frozenTrial(3, RUNNING, null)];
    const split = splitConstrained(indexOf(trials, [[0], [0], [2], undefined]), "minimize", 2);
    expect([...split.below]).toEqual([0, 1]);
    expect([...split.above]).toEqual([2, 3]);
  });
});
