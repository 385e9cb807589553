import { describe, expect, it } from "vitest";
import type { FrozenTrial } from "../../frozen-trial.js";
import { splitObservations, splitTrials } from "./split.js";
import { COMPLETE, FAIL, frozenTrial, PRUNED, RUNNING } from "./test-fixtures/trials.js";
import { TrialLedger } from "./trial-ledger.js";

const numbers = (trials: readonly FrozenTrial[]): number[] => trials.map((t) => t.number);

/** A study's trials: values with many ties, some PRUNED (with reports), FAIL and RUNNING. */
function trials(count: number): FrozenTrial[] {
  return Array.from({ length: count }, (_, i) => {
    if (i % 11 === 3) return frozenTrial(i, PRUNED, null, {}, {}, { 0: i % 5, [1 + (i % 3)]: (i * 7) % 4 });
    if (i % 13 === 5) return frozenTrial(i, FAIL, null);
    if (i % 17 === 9) return frozenTrial(i, RUNNING, null);
    return frozenTrial(i, COMPLETE, ((i * 37) % 23) - 11);
  });
}

describe("TrialLedger", () => {
  it("splits as splitTrials does, taking the best from its ranking", () => {
    const all = trials(300);
    for (const direction of ["minimize", "maximize"] as const) {
      const ledger = new TrialLedger(direction);
      // Read in two rounds, as a study grows.
      ledger.read(all.slice(0, 120));
      const { unfinished } = ledger.read(all);
      const running = unfinished.filter((t) => t.state === RUNNING);
      for (const nBelow of [0, 1, 7, 25, 64, 100, 290]) {
        const split = splitObservations(ledger.index(running), direction, nBelow);
        const expected = splitTrials(all, direction, nBelow);
        expect(Array.from(split.below)).toEqual(numbers(expected.below));
        expect(Array.from(split.above)).toEqual(numbers(expected.above));
      }
    }
  });

  it("ranks trials that finish out of number order", () => {
    const late = [frozenTrial(0, COMPLETE, 3), frozenTrial(1, RUNNING, null), frozenTrial(2, COMPLETE, 3)];
    const ledger = new TrialLedger("minimize");
    ledger.read(late);
    const finished = [late[0]!, frozenTrial(1, COMPLETE, 3), late[2]!];
    ledger.read(finished);
    expect(Array.from(splitObservations(ledger.index([]), "minimize", 2).below)).toEqual([0, 1]);
  });
});
