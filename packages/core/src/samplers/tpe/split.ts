import { lastStep, type FrozenTrial, type StudyDirection } from "../../frozen-trial.js";
import { TrialState } from "../../trial-state.js";

/** The observations of one TPE step, split into the good ("below") and the rest ("above"). */
export interface TrialSplit {
  /** The gamma(n) best trials, in trial-number order (the weights favour the newest). */
  readonly below: readonly FrozenTrial[];
  /** Every other observation, in trial-number order; RUNNING trials (constant liar) always here. */
  readonly above: readonly FrozenTrial[];
}

/**
 * Splits the observations as Optuna does: the `nBelow` best COMPLETE trials go below; if there are
 * fewer, PRUNED trials fill up, deepest first, then best last intermediate value. Everything else
 * is above. `trials` holds COMPLETE, PRUNED and (with constant liar) RUNNING trials; others are
 * ignored.
 */
export function splitTrials(trials: readonly FrozenTrial[], direction: StudyDirection, nBelow: number): TrialSplit {
  const ordered = isInNumberOrder(trials) ? trials : [...trials].sort(byNumber);
  const complete: FrozenTrial[] = [];
  const pruned: FrozenTrial[] = [];
  for (const t of ordered) {
    if (t.state === TrialState.COMPLETE && t.value !== null) complete.push(t);
    else if (t.state === TrialState.PRUNED) pruned.push(t);
  }
  const sign = direction === "minimize" ? 1 : -1;
  const fromComplete = Math.min(Math.max(nBelow, 0), complete.length);
  const fromPruned = Math.min(Math.max(nBelow - fromComplete, 0), pruned.length);
  const chosen = bestComplete(complete, fromComplete, sign);
  if (fromPruned > 0) chosen.push(...rankPruned(pruned, sign).slice(0, fromPruned));
  const isBelow = new Uint8Array(((ordered[ordered.length - 1] as FrozenTrial | undefined)?.number ?? 0) + 1);
  for (const t of chosen) isBelow[t.number] = 1;

  // Walking the trials in number order keeps both groups in number order without a sort.
  const below: FrozenTrial[] = [];
  const above: FrozenTrial[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const t = ordered[i] as FrozenTrial;
    const observation =
      (t.state === TrialState.COMPLETE && t.value !== null) || t.state === TrialState.PRUNED || t.state === TrialState.RUNNING;
    if (!observation) continue;
    if (isBelow[t.number] === 1) below.push(t);
    else above.push(t);
  }
  return { below, above };
}

/**
 * The k best COMPLETE trials (ties: lower number first, as a stable sort would give). Keeps a
 * small sorted buffer instead of sorting all n: gamma(n) is at most 25 by default.
 */
function bestComplete(complete: readonly FrozenTrial[], k: number, sign: number): FrozenTrial[] {
  if (k === 0) return [];
  const key = (t: FrozenTrial): number => sign * (t.value as number);
  if (k > 64) return [...complete].sort((a, b) => key(a) - key(b)).slice(0, k);
  const best: FrozenTrial[] = [];
  const keys: number[] = [];
  for (let j = 0; j < complete.length; j++) {
    const t = complete[j] as FrozenTrial;
    const v = sign * (t.value as number);
    if (best.length === k && v >= (keys[k - 1] as number)) continue;
    let i = best.length;
    while (i > 0 && (keys[i - 1] as number) > v) i--;
    best.splice(i, 0, t);
    keys.splice(i, 0, v);
    if (keys.length > k) keys.pop();
    if (best.length > k) best.pop();
  }
  return best;
}

function isInNumberOrder(trials: readonly FrozenTrial[]): boolean {
  for (let i = 1; i < trials.length; i++) if ((trials[i] as FrozenTrial).number < (trials[i - 1] as FrozenTrial).number) return false;
  return true;
}

function byNumber(a: FrozenTrial, b: FrozenTrial): number {
  return a.number - b.number;
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
