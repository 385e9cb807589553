import { lastStep, type FrozenTrial, type StudyDirection } from "../../frozen-trial.js";
import { TrialState } from "../../trial-state.js";

/** The observations of one TPE step, split into the good ("below") and the rest ("above"). */
export interface TrialSplit {
  /** The gamma(n) best trials, in trial-number order (the weights favour the newest). */
  readonly below: readonly FrozenTrial[];
  /** Every other observation, in trial-number order; RUNNING trials (constant liar) always here. */
  readonly above: readonly FrozenTrial[];
}

/** What a trial is to the split (by trial number in an ObservationIndex). */
export const Role = {
  /** No observation: FAIL, WAITING, COMPLETE without a value, or no such trial. */
  NONE: 0,
  /** COMPLETE with a value: ranked by it. */
  COMPLETE: 1,
  /** Fills up "below" when too few trials are COMPLETE, ranked by its intermediate values. */
  PRUNED: 2,
  /** Another trial still running (constant liar): always "above". */
  RUNNING: 3,
} as const;

/**
 * The observations of one step by trial number (0 .. count - 1), as typed arrays: the split reads
 * these instead of every trial object, which the sampler would otherwise walk at every step.
 */
export interface ObservationIndex {
  readonly count: number;
  /** Role by trial number. */
  readonly roles: Uint8Array;
  /** By trial number: the value of each COMPLETE trial. */
  readonly values: Float64Array;
  /** The trial of a number whose role is PRUNED (its intermediate values rank it). */
  trialAt(number: number): FrozenTrial;
  /**
   * Optionally, the COMPLETE trials' numbers best first (ties: lower number first), when kept up
   * to date elsewhere: the best gamma(n) are then a prefix instead of a selection at each step.
   */
  readonly ranked?: Int32Array;
}

/** The split as trial numbers, ascending. */
export interface NumberSplit {
  readonly below: Int32Array;
  readonly above: Int32Array;
}

/**
 * Splits the observations as Optuna does: the `nBelow` best COMPLETE trials go below; if there are
 * fewer, PRUNED trials fill up, deepest first, then best last intermediate value. Everything else
 * is above. `trials` holds COMPLETE, PRUNED and (with constant liar) RUNNING trials; others are
 * ignored.
 */
export function splitTrials(trials: readonly FrozenTrial[], direction: StudyDirection, nBelow: number): TrialSplit {
  let count = 0;
  for (const t of trials) count = Math.max(count, t.number + 1);
  const roles = new Uint8Array(count);
  const values = new Float64Array(count);
  const byNumber: FrozenTrial[] = [];
  for (const t of trials) {
    roles[t.number] = roleOf(t);
    values[t.number] = t.value ?? Number.NaN;
    byNumber[t.number] = t;
  }
  const trialAt = (number: number): FrozenTrial => byNumber[number] as FrozenTrial;
  const split = splitObservations({ count, roles, values, trialAt }, direction, nBelow);
  return { below: Array.from(split.below, trialAt), above: Array.from(split.above, trialAt) };
}

/** A trial's role in a split. */
export function roleOf(t: FrozenTrial): number {
  if (t.state === TrialState.COMPLETE) return t.values !== null ? Role.COMPLETE : Role.NONE;
  if (t.state === TrialState.PRUNED) return Role.PRUNED;
  return t.state === TrialState.RUNNING ? Role.RUNNING : Role.NONE;
}

/** splitTrials over an ObservationIndex: the same split, as trial numbers. */
export function splitObservations(index: ObservationIndex, direction: StudyDirection, nBelow: number): NumberSplit {
  const { count, roles, values, ranked } = index;
  const sign = direction === "minimize" ? 1 : -1;
  const want = Math.max(nBelow, 0);
  // One pass in number order: the PRUNED trials, which are few, and how many observations; and
  // unless they come ranked, the best COMPLETE trials as they come (a small gamma, the usual
  // case) or all of them for a sort.
  const top = ranked === undefined && want <= MAX_STREAMED ? new TopNumbers(want) : null;
  const complete: number[] = [];
  const pruned: number[] = [];
  let nComplete = 0;
  let nObservations = 0;
  for (let i = 0; i < count; i++) {
    const role = roles[i] as number;
    if (role === Role.NONE) continue;
    nObservations++;
    if (role === Role.COMPLETE) {
      nComplete++;
      if (top !== null) top.offer(i, sign * (values[i] as number));
      else if (ranked === undefined) complete.push(i);
    } else if (role === Role.PRUNED) pruned.push(i);
  }
  const fromComplete = Math.min(want, nComplete);
  const fromPruned = Math.min(Math.max(nBelow - fromComplete, 0), pruned.length);
  // A ranking's prefix is the stable sort's, which is what the stream keeps (for keys that are
  // not NaN, the only ones ranked).
  const best =
    ranked !== undefined
      ? ranked.subarray(0, fromComplete)
      : top !== null
        ? top.numbers()
        : bestComplete(complete, values, fromComplete, sign);
  const chosen = new Int32Array(best.length + fromPruned);
  chosen.set(best);
  if (fromPruned > 0) {
    const rankedPruned = rankPruned(pruned.map((number) => index.trialAt(number)), sign);
    for (let i = 0; i < fromPruned; i++) chosen[best.length + i] = (rankedPruned[i] as FrozenTrial).number;
  }
  // Into number order (a typed array sorts numerically).
  chosen.sort();

  // Walking the numbers in order keeps both groups in number order without a sort.
  const below = new Int32Array(chosen.length);
  const above = new Int32Array(nObservations - chosen.length);
  let nb = 0;
  let na = 0;
  for (let i = 0; i < count; i++) {
    if (roles[i] === Role.NONE) continue;
    if (nb < chosen.length && chosen[nb] === i) below[nb++] = i;
    else above[na++] = i;
  }
  return { below, above };
}

/** Up to this many best trials are kept while streaming; more are found by sorting. */
const MAX_STREAMED = 64;

/**
 * The k best COMPLETE trials of a stream in trial-number order, by key (ties: lower number first,
 * as a stable sort would give): a small sorted buffer instead of a sort of all n.
 */
class TopNumbers {
  private readonly best: number[] = [];
  private readonly keys: number[] = [];

  constructor(private readonly k: number) {}

  offer(number: number, key: number): void {
    const { best, keys, k } = this;
    const size = best.length;
    if (k === 0 || (size === k && key >= (keys[k - 1] as number))) return;
    let i = size;
    while (i > 0 && (keys[i - 1] as number) > key) i--;
    // Past the last place of a full buffer (a NaN key on either side): no change.
    if (i >= k) return;
    // Shift the tail up one place (the last one falls off a full buffer) and insert.
    for (let j = size < k ? size : k - 1; j > i; j--) {
      keys[j] = keys[j - 1] as number;
      best[j] = best[j - 1] as number;
    }
    keys[i] = key;
    best[i] = number;
  }

  /** The kept trial numbers, best first. */
  numbers(): number[] {
    return this.best.slice();
  }
}

/** The k best COMPLETE trials (`complete`: numbers, ascending), by a stable sort when k is large. */
function bestComplete(complete: readonly number[], values: Float64Array, k: number, sign: number): number[] {
  if (k === 0) return [];
  const key = (number: number): number => sign * (values[number] as number);
  if (k <= MAX_STREAMED) {
    const top = new TopNumbers(k);
    for (const number of complete) top.offer(number, key(number));
    return top.numbers();
  }
  return [...complete].sort((a, b) => key(a) - key(b)).slice(0, k);
}

/** Best first: the deepest last step first, then the best last intermediate value (NaN last). */
function rankPruned(pruned: readonly FrozenTrial[], sign: number): FrozenTrial[] {
  const keyed = pruned.map((trial) => {
    const step = lastStep(trial);
    if (step === null) return { trial, depth: 1, value: 0 };
    const v = trial.intermediateValues[step] as number;
    return { trial, depth: -step, value: Number.isNaN(v) ? Number.POSITIVE_INFINITY : sign * v };
  });
  keyed.sort((a, b) => a.depth - b.depth || compareNumbers(a.value, b.value));
  return keyed.map((k) => k.trial);
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
