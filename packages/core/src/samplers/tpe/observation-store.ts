import type { FrozenTrial } from "../../frozen-trial.js";
import { TrialState } from "../../trial-state.js";

/**
 * One parameter's values in the finished trials, kept up to date incrementally: a finished
 * trial never changes, so each is read once. Lets TPE gather a group's observations with typed
 * array reads instead of a property lookup per trial, and hands univariate TPE its observations
 * already sorted, so no sort is needed per trial.
 */
export class ParamColumn {
  /** The value (a categorical's choice index) by trial number; NaN where a trial lacks it. */
  private byNumber = new Float64Array(64).fill(Number.NaN);
  /** Numeric parameters: the values ascending (ties by trial number) and whose they are. */
  sortedValues = new Float64Array(64);
  sortedNumbers = new Int32Array(64);
  size = 0;

  constructor(readonly categorical: boolean) {}

  /** The value of trial `number`, or NaN. */
  valueOf(number: number): number {
    return number < this.byNumber.length ? (this.byNumber[number] as number) : Number.NaN;
  }

  add(number: number, value: number): void {
    if (number >= this.byNumber.length) {
      const grown = new Float64Array(Math.max(2 * this.byNumber.length, number + 1)).fill(Number.NaN);
      grown.set(this.byNumber);
      this.byNumber = grown;
    }
    this.byNumber[number] = value;
    if (this.categorical) return;
    if (this.size === this.sortedValues.length) {
      const values = new Float64Array(2 * this.size);
      values.set(this.sortedValues);
      this.sortedValues = values;
      const numbers = new Int32Array(2 * this.size);
      numbers.set(this.sortedNumbers);
      this.sortedNumbers = numbers;
    }
    // Insertion point after every smaller value and every equal one of a lower trial number.
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.sortedValues[mid] as number;
      if (v < value || (v === value && (this.sortedNumbers[mid] as number) < number)) lo = mid + 1;
      else hi = mid;
    }
    this.sortedValues.copyWithin(lo + 1, lo, this.size);
    this.sortedNumbers.copyWithin(lo + 1, lo, this.size);
    this.sortedValues[lo] = value;
    this.sortedNumbers[lo] = number;
    this.size++;
  }
}

/** The ParamColumns of one study's finished (COMPLETE and PRUNED) trials. */
export class ObservationStore {
  private readonly columns = new Map<string, ParamColumn>();
  private read = new Uint8Array(64);

  /** Reads the finished trials not read before; others are skipped. */
  update(trials: readonly FrozenTrial[]): void {
    for (const trial of trials) {
      if (trial.state !== TrialState.COMPLETE && trial.state !== TrialState.PRUNED) continue;
      if (trial.number < this.read.length && this.read[trial.number] === 1) continue;
      if (trial.number >= this.read.length) {
        const grown = new Uint8Array(Math.max(2 * this.read.length, trial.number + 1));
        grown.set(this.read);
        this.read = grown;
      }
      this.read[trial.number] = 1;
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
