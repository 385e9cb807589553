import type { ParamValue } from "../../distributions.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import { TrialState } from "../../trial-state.js";
import { defaultWeights, type WeightsFunction } from "./gamma-and-weights.js";
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
  /** The members' trial numbers, ascending. */
  readonly numbers: Int32Array;
  /** At each member's trial number: its index in `numbers` + 1; 0 for non-members. */
  readonly positions: Int32Array;
  /** The RUNNING members (constant liar): not in the store, read directly. */
  readonly running: readonly FrozenTrial[];
  /**
   * Each member's weight, by index in `numbers` (MOTPE's below side: hypervolume contributions);
   * absent: the weights function, by age.
   */
  readonly memberWeights?: Float64Array;
}

/** A side of the split, indexed by trial number (`trials` in trial-number order). */
export function sideOf(trials: readonly FrozenTrial[]): Side {
  return sideOfNumbers(
    Int32Array.from(trials, (t) => t.number),
    trials.filter((t) => t.state === TrialState.RUNNING),
  );
}

/** A side of the split from its members' numbers (ascending), its RUNNING members and, optionally, their weights. */
export function sideOfNumbers(numbers: Int32Array, running: readonly FrozenTrial[], memberWeights?: Float64Array): Side {
  let max = -1;
  for (let i = 0; i < numbers.length; i++) max = Math.max(max, numbers[i] as number);
  const positions = new Int32Array(max + 1);
  for (let i = 0; i < numbers.length; i++) positions[numbers[i] as number] = i + 1;
  return memberWeights === undefined ? { numbers, positions, running } : { numbers, positions, running, memberWeights };
}

/**
 * Gathers the observations of `names` on one side: the trials that hold every one of them, in
 * range. A single numeric parameter comes out sorted by value (from the store's sorted column, or
 * for a small side by sorting its few members), so its kernel widths need no sort; anything else
 * is read row by row in trial order.
 */
export class ObservationGatherer {
  /** Scratch, reused: the observations' side positions; which positions were observed, and their age rank. */
  private at = new Int32Array(64);
  private observed = new Uint8Array(64);
  private ranks = new Int32Array(64);
  /** defaultWeights(n) by n: a step gathers both sides for every parameter, with a few sizes. */
  private readonly defaultWeightsBySize = new Map<number, Float64Array>();

  constructor(
    private readonly store: ObservationStore,
    /** The weights of n observations, oldest first. */
    private readonly weights: WeightsFunction,
  ) {}

  /** The weights of n observations by age rank (0: oldest). */
  private weightsOf(n: number): ArrayLike<number> {
    // A user's function is called every time, as before: it need not be pure.
    if (this.weights !== defaultWeights) return callWeights(this.weights, n);
    let w = this.defaultWeightsBySize.get(n);
    if (w === undefined) {
      // Sizes only grow as the study runs: old ones are not asked for again.
      if (this.defaultWeightsBySize.size >= 8) this.defaultWeightsBySize.clear();
      w = defaultWeights(n);
      this.defaultWeightsBySize.set(n, w);
    }
    return w;
  }

  /** The arrays come from `alloc` (see ScratchArena), with the spare slot for the prior. */
  gather(side: Side, names: readonly string[], dims: readonly Dimension[], alloc: Float64Allocator = freshFloat64): Observations {
    // (A loop, not names.map: see ParzenEstimator.)
    const columns: (ParamColumn | undefined)[] = [];
    for (const name of names) columns.push(this.store.column(name));
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
    const m = side.numbers.length;
    const out: Float64Array[] = [];
    // Column by column (tight loops over typed arrays), NaN where a trial lacks the value...
    let missing = false;
    for (let d = 0; d < names.length; d++) {
      const name = names[d] as string;
      const column = columns[d];
      const dim = dims[d] as Dimension;
      const values = alloc(m + 1);
      out.push(values);
      if (column === undefined) values.fill(Number.NaN, 0, m);
      else readByNumber(column, dim, side.numbers, values);
      // Unfinished trials are not in the store: they may still gain parameters.
      for (const trial of side.running) {
        const value = trial.params[name];
        values[(side.positions[trial.number] as number) - 1] = value === undefined ? Number.NaN : transformValue(dim, value);
      }
      for (let p = 0; p < m && !missing; p++) missing = Number.isNaN(values[p] as number);
    }
    // ...then keep the trials that have all of them, in place.
    let n = m;
    const member = side.memberWeights;
    const kept = member === undefined ? null : alloc(m + 1);
    if (kept !== null) for (let p = 0; p < m; p++) kept[p] = member![p] as number;
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
        if (n !== p) {
          for (const values of out) values[n] = values[p] as number;
          if (kept !== null) kept[n] = kept[p] as number;
        }
        n++;
      }
    }
    const weights = alloc(n + 1);
    if (kept !== null) {
      for (let i = 0; i < n; i++) weights[i] = kept[i] as number;
      return { n, columns: out, weights };
    }
    const w = this.weightsOf(n);
    for (let i = 0; i < n; i++) weights[i] = w[i] as number;
    return { n, columns: out, weights };
  }

  private gatherSorted(column: ParamColumn, side: Side, name: string, dim: Dimension, alloc: Float64Allocator): Observations {
    const { positions } = side;
    const running = side.running.length === 0 ? side.running : side.running.filter((t) => t.params[name] !== undefined);
    const finishedMembers = side.numbers.length - side.running.length;
    const capacity = Math.min(column.sorted.size, finishedMembers) + running.length + 1;
    const values = alloc(capacity);
    // Side positions of the observations: trial-number order, for the age ranks below.
    if (this.at.length < capacity) this.at = new Int32Array(2 * capacity);
    const at = this.at;
    // A few members among many stored trials (the "below" side): look each up and sort them,
    // rather than walk the whole column. Both give the column's order.
    let n =
      finishedMembers <= SMALL_SIDE && SMALL_SIDE_RATIO * finishedMembers < column.sorted.size
        ? readMembersSorted(column, dim, side.numbers, values, at)
        : readSortedColumn(column, dim, positions, values, at);
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

    if (side.memberWeights !== undefined) {
      const member = side.memberWeights;
      const weights = alloc(n + 1);
      for (let i = 0; i < n; i++) weights[i] = member[(at[i] as number) - 1] as number;
      return { n, columns: [values], weights };
    }
    // Weights go by age: rank each observation by its side position among the observations.
    const w = this.weightsOf(n);
    const weights = alloc(n + 1);
    if (n === side.numbers.length) {
      // Every member observed it (the usual case): the rank is the position - 1.
      for (let i = 0; i < n; i++) weights[i] = w[(at[i] as number) - 1] as number;
      return { n, columns: [values], weights };
    }
    const size = side.numbers.length + 1;
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
    for (let i = 0; i < n; i++) weights[i] = w[ranks[at[i] as number] as number] as number;
    return { n, columns: [values], weights };
  }
}

/** Sides up to this many finished trials, and this many times fewer than the column holds, are read member by member. */
const SMALL_SIDE = 64;
const SMALL_SIDE_RATIO = 4;

/**
 * Writes the side's observations of a numeric parameter, in range and transformed, to `values`
 * in the column's order (by stored value, ties by trial number), and their side positions to
 * `at`, walking the whole sorted column. Returns how many.
 */
function readSortedColumn(
  column: ParamColumn,
  dim: Dimension,
  positions: Int32Array,
  values: Float64Array,
  at: Int32Array,
): number {
  const { keys: sortedValues, numbers: sortedNumbers, size } = column.sorted;
  const range = storedRange(dim);
  const generic = range === null;
  const low = range?.low ?? Number.NaN;
  const high = range?.high ?? Number.NaN;
  const members = positions.length;
  let n = 0;
  for (let p = 0; p < size; p++) {
    const number = sortedNumbers[p] as number;
    if (number >= members) continue;
    const position = positions[number] as number;
    if (position === 0) continue;
    const v = sortedValues[p] as number;
    if (generic) {
      const t = transformInternal(dim, v);
      if (Number.isNaN(t)) continue;
      values[n] = t;
    } else {
      if (!(v >= low && v <= high)) continue;
      values[n] = v;
    }
    at[n] = position;
    n++;
  }
  if (range?.log) logInPlace(values, n);
  return n;
}

/**
 * readSortedColumn's result, by looking up each finished member (`numbers`: the side's trial
 * numbers, ascending) and sorting the few found by stored value, ties by trial number.
 */
function readMembersSorted(
  column: ParamColumn,
  dim: Dimension,
  numbers: Int32Array,
  values: Float64Array,
  at: Int32Array,
): number {
  const byNumber = column.byTrialNumber;
  let found = 0;
  for (let p = 0; p < numbers.length; p++) {
    const number = numbers[p] as number;
    if (number >= byNumber.length) continue;
    const v = byNumber[number] as number;
    // NaN: the trial lacks the parameter, or is RUNNING (not in the store).
    if (Number.isNaN(v)) continue;
    // Insertion sort; members come in trial-number order, so an equal value stays behind.
    let i = found;
    while (i > 0 && (values[i - 1] as number) > v) {
      values[i] = values[i - 1] as number;
      at[i] = at[i - 1] as number;
      i--;
    }
    values[i] = v;
    at[i] = p + 1;
    found++;
  }
  // Into the transformed space, dropping values outside today's range (order is kept).
  const range = storedRange(dim);
  let n = 0;
  for (let i = 0; i < found; i++) {
    const v = values[i] as number;
    if (range === null) {
      const t = transformInternal(dim, v);
      if (Number.isNaN(t)) continue;
      values[n] = t;
    } else {
      if (!(v >= range.low && v <= range.high)) continue;
      values[n] = v;
    }
    at[n] = at[i] as number;
    n++;
  }
  if (range?.log) logInPlace(values, n);
  return n;
}

/**
 * out[p] = transformInternal(dim, column.valueOf(numbers[p])) for every p, in tight loops: the
 * range test here, the log (when the range is logarithmic) in a second pass.
 */
function readByNumber(column: ParamColumn, dim: Dimension, numbers: Int32Array, out: Float64Array): void {
  const byNumber = column.byTrialNumber;
  const size = byNumber.length;
  const range = storedRange(dim);
  if (range === null) {
    for (let p = 0; p < numbers.length; p++) out[p] = transformInternal(dim, column.valueOf(numbers[p] as number));
    return;
  }
  const { low, high } = range;
  for (let p = 0; p < numbers.length; p++) {
    const number = numbers[p] as number;
    // if statements, not conditional expressions: V8 compiles this loop twice as fast so.
    let t = Number.NaN;
    if (number < size) {
      const v = byNumber[number] as number;
      if (v >= low && v <= high) t = v;
    }
    out[p] = t;
  }
  if (range.log) logInPlace(out, numbers.length);
}

/** values[i] = log(values[i]) for i < n (NaN stays NaN). */
function logInPlace(values: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) values[i] = Math.log(values[i] as number);
}

/**
 * The stored values a numeric dimension keeps, as transformInternal tests them (then takes the
 * log for a log range); null for a categorical dimension, which transformInternal handles.
 */
function storedRange(dim: Dimension): { low: number; high: number; log: boolean } | null {
  if (dim.kind === "categorical") return null;
  return dim.distribution;
}
