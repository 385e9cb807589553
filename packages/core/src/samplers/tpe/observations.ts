import type { ParamValue } from "../../distributions.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import { TrialState } from "../../trial-state.js";
import { defaultWeightAt, defaultWeights, type WeightsFunction } from "./gamma-and-weights.js";
import type { ObservationStore, ParamColumn } from "./observation-store.js";
import { transformInternal, transformValue, type Dimension } from "./param-transform.js";
import { freshFloat64, type Float64Allocator } from "./scratch-arena.js";
import { callWeights } from "./tpe-options.js";

/**
 * One side's (below or above) observations of the parameters being sampled. The arrays have one
 * spare slot, at index n, which the Parzen estimator fills with its prior component.
 */
export interface Observations {
  readonly n: number;
  /** One array per dimension: transformed values, aligned across dimensions. */
  readonly columns: Float64Array[];
  /** Each observation's weight (from the weights function, by trial age). */
  readonly weights: Float64Array;
}

/** The trials of one side of the split, and their positions by trial number. */
export interface Side {
  /** In trial-number order. */
  readonly trials: readonly FrozenTrial[];
  /** At each member's trial number: its index in `trials` + 1; 0 for non-members. */
  readonly positions: Int32Array;
  /** The members' trial numbers, in order. */
  readonly numbers: Int32Array;
  /** The RUNNING members (constant liar): not in the store, read directly. */
  readonly running: readonly FrozenTrial[];
}

/** A side of the split, indexed by trial number. */
export function sideOf(trials: readonly FrozenTrial[]): Side {
  let max = -1;
  for (const t of trials) if (t.number > max) max = t.number;
  const positions = new Int32Array(max + 1);
  const numbers = new Int32Array(trials.length);
  const running: FrozenTrial[] = [];
  for (let i = 0; i < trials.length; i++) {
    const t = trials[i] as FrozenTrial;
    positions[t.number] = i + 1;
    numbers[i] = t.number;
    if (t.state === TrialState.RUNNING) running.push(t);
  }
  return { trials, positions, numbers, running };
}

/**
 * Gathers the observations of `names` on one side: the trials that hold every one of them, in
 * range. A single numeric parameter comes out sorted by value straight from the store's sorted
 * column, so its kernel widths need no sort; anything else is read row by row in trial order.
 */
export class ObservationGatherer {
  /** Scratch, reused: which side positions were observed, and their age rank. */
  private observed = new Uint8Array(64);
  private ranks = new Int32Array(64);

  constructor(
    private readonly store: ObservationStore,
    /** The weights of n observations, oldest first. */
    private readonly weights: WeightsFunction,
  ) {}

  /** The weight of the observation of age rank `i` (0: oldest) among n. */
  private weightFunction(n: number): (i: number) => number {
    // The default needs no array per call: the estimators are rebuilt at every step.
    if (this.weights === defaultWeights) return (i) => defaultWeightAt(i, n);
    const w = callWeights(this.weights, n);
    return (i) => w[i] as number;
  }

  /** The arrays come from `alloc` (see ScratchArena), with the spare slot for the prior. */
  gather(side: Side, names: readonly string[], dims: readonly Dimension[], alloc: Float64Allocator = freshFloat64): Observations {
    const columns = names.map((name) => this.store.column(name));
    const first = columns[0];
    if (names.length === 1 && first !== undefined && !first.categorical) {
      return this.gatherSorted(first, side, names[0] as string, dims[0] as Dimension, alloc);
    }
    return this.gatherRows(columns, side, names, dims, alloc);
  }

  private gatherRows(
    columns: readonly (ParamColumn | undefined)[],
    side: Side,
    names: readonly string[],
    dims: readonly Dimension[],
    alloc: Float64Allocator,
  ): Observations {
    const m = side.trials.length;
    const out = names.map(() => alloc(m + 1));
    // Column by column (tight loops over typed arrays), NaN where a trial lacks the value...
    let missing = false;
    names.forEach((name, d) => {
      const column = columns[d];
      const dim = dims[d] as Dimension;
      const values = out[d] as Float64Array;
      if (column === undefined) values.fill(Number.NaN, 0, m);
      else for (let p = 0; p < m; p++) values[p] = transformInternal(dim, column.valueOf(side.numbers[p] as number));
      // Unfinished trials are not in the store: they may still gain parameters.
      for (const trial of side.running) {
        const value = trial.params[name];
        values[(side.positions[trial.number] as number) - 1] = value === undefined ? Number.NaN : transformValue(dim, value);
      }
      for (let p = 0; p < m && !missing; p++) missing = Number.isNaN(values[p] as number);
    });
    // ...then keep the trials that have all of them, in place.
    let n = m;
    if (missing) {
      n = 0;
      for (let p = 0; p < m; p++) {
        let complete = true;
        for (const values of out) {
          if (Number.isNaN(values[p] as number)) {
            complete = false;
            break;
          }
        }
        if (!complete) continue;
        if (n !== p) for (const values of out) values[n] = values[p] as number;
        n++;
      }
    }
    const weightOf = this.weightFunction(n);
    const weights = alloc(n + 1);
    for (let i = 0; i < n; i++) weights[i] = weightOf(i);
    return { n, columns: out, weights };
  }

  private gatherSorted(column: ParamColumn, side: Side, name: string, dim: Dimension, alloc: Float64Allocator): Observations {
    const { positions } = side;
    const running = side.running.filter((t) => t.params[name] !== undefined);
    const capacity = column.size + running.length + 1;
    const values = alloc(capacity);
    // Side positions of the observations: trial-number order, for the age ranks below.
    const at = alloc(capacity);
    let n = 0;
    for (let p = 0; p < column.size; p++) {
      const number = column.sortedNumbers[p] as number;
      const position = number < positions.length ? (positions[number] as number) : 0;
      if (position === 0) continue;
      const t = transformInternal(dim, column.sortedValues[p] as number);
      if (Number.isNaN(t)) continue;
      values[n] = t;
      at[n] = position;
      n++;
    }
    for (const trial of running) {
      const t = transformValue(dim, trial.params[name] as ParamValue);
      if (Number.isNaN(t)) continue;
      const position = positions[trial.number] as number;
      let i = n;
      while (i > 0 && ((values[i - 1] as number) > t || ((values[i - 1] as number) === t && (at[i - 1] as number) > position))) {
        values[i] = values[i - 1] as number;
        at[i] = at[i - 1] as number;
        i--;
      }
      values[i] = t;
      at[i] = position;
      n++;
    }

    // Weights go by age: rank each observation by its side position among the observations.
    const size = side.trials.length + 1;
    if (this.observed.length < size) {
      this.observed = new Uint8Array(2 * size);
      this.ranks = new Int32Array(2 * size);
    }
    const observed = this.observed;
    const ranks = this.ranks;
    observed.fill(0, 0, size);
    for (let i = 0; i < n; i++) observed[at[i] as number] = 1;
    let rank = 0;
    for (let p = 1; p < size; p++) if (observed[p] === 1) ranks[p] = rank++;
    const weightOf = this.weightFunction(n);
    const weights = alloc(n + 1);
    for (let i = 0; i < n; i++) weights[i] = weightOf(ranks[at[i] as number] as number);
    return { n, columns: [values], weights };
  }
}
