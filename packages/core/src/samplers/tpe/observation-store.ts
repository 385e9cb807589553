import type { FrozenTrial } from "../../frozen-trial.js";
import { SortedByKey } from "./sorted-by-key.js";
import { grown } from "./grown.js";

const NO_VALUES = new Float64Array(0);

/**
 * One parameter's values in the finished trials, kept up to date incrementally: a finished
 * trial never changes, so each is read once. Lets TPE gather a group's observations with typed
 * array reads instead of a property lookup per trial, and hands univariate TPE its observations
 * already sorted, so no sort is needed per trial.
 */
export class ParamColumn {
  /** The value (a categorical's choice index) by trial number; NaN where a trial lacks it. */
  private byNumber = NO_VALUES;
  /** Numeric parameters: the trials in ascending order of their value. */
  readonly sorted = new SortedByKey();

  constructor(readonly categorical: boolean) {
    // The arrays are replaced as the study grows. Set twice from the start, so V8 knows they
    // change: code that took them for constants would be thrown away at the first growth.
    this.byNumber = new Float64Array(64).fill(Number.NaN);
  }

  /** The value of trial `number`, or NaN. */
  valueOf(number: number): number {
    return number < this.byNumber.length ? (this.byNumber[number] as number) : Number.NaN;
  }

  /**
   * The values by trial number, NaN where a trial lacks it (trials past the end lack it too), for
   * loops that read many: valueOf's call and bounds check per trial add up. Read only.
   */
  get byTrialNumber(): Float64Array {
    return this.byNumber;
  }

  add(number: number, value: number): void {
    if (number >= this.byNumber.length) this.byNumber = grown(this.byNumber, number + 1, Number.NaN);
    this.byNumber[number] = value;
    if (this.categorical) return;
    this.sorted.insert(value, number);
  }
}

/** The ParamColumns of one study's finished (COMPLETE and PRUNED) trials. */
export class ObservationStore {
  private readonly columns = new Map<string, ParamColumn>();

  /** Adds finished (COMPLETE or PRUNED) trials, each once: the TrialLedger hands each on once. */
  add(trials: readonly FrozenTrial[]): void {
    for (const trial of trials) {
      for (const [name, value] of Object.entries(trial.params)) {
        const d = trial.distributions[name];
        if (d === undefined) continue;
        let column = this.columns.get(name);
        if (column === undefined) {
          column = new ParamColumn(d.kind === "categorical");
          this.columns.set(name, column);
        }
        const internal = d.kind === "categorical" ? d.choices.indexOf(value as never) : value;
        if (typeof internal !== "number" || Number.isNaN(internal) || (column.categorical && internal < 0)) continue;
        column.add(trial.number, internal);
      }
    }
  }

  /** The column of `name`, or undefined when no finished trial has it. */
  column(name: string): ParamColumn | undefined {
    return this.columns.get(name);
  }
}
