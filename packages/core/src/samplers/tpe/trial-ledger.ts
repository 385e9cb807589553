import type { FrozenTrial, StudyDirection } from "../../frozen-trial.js";
import { TrialState } from "../../trial-state.js";
import { Role, roleOf, type ObservationIndex } from "./split.js";
import { grown } from "./grown.js";
import { SortedByKey } from "./sorted-by-key.js";

/** What TrialLedger.read found in a list of trials. */
export interface LedgerRead {
  /** The COMPLETE and PRUNED trials not read before, in list order. */
  readonly fresh: readonly FrozenTrial[];
  /** The unfinished trials (RUNNING, WAITING), in list order, and their indices in the list. */
  readonly unfinished: readonly FrozenTrial[];
  readonly unfinishedAt: readonly number[];
}

/**
 * What TPE keeps of a study's trials from step to step. COMPLETE, PRUNED and FAIL trials never
 * change, so each is read once, into arrays by trial number; a step then reads only the trials
 * that are new or still unfinished. Walking every trial object at every step would cost a cache
 * miss per trial, which in a long study was most of a step's bookkeeping.
 */
export class TrialLedger {
  /** The finished (COMPLETE or PRUNED) trials read so far. */
  nFinished = 0;
  /** By trial number: the role of each final trial in a split (NONE for FAIL and unread trials). */
  private roles = new Uint8Array(64);
  /** By trial number: 1 once a final trial has been read. */
  private final = new Uint8Array(64);
  /** By trial number: COMPLETE trials' values. */
  private values = new Float64Array(64);
  /** The final trials by number (PRUNED ones are ranked by their intermediate values). */
  private readonly trials: FrozenTrial[] = [];
  /** One past the highest final trial number read. */
  private size = 0;
  /**
   * The list read last time, by index, where it held a final trial: the same object at the same
   * index is that trial again, unchanged, and need not be read.
   */
  private readonly known: Array<FrozenTrial | undefined> = [];
  /** Scratch for index(): the roles of one step. */
  private stepRoles = new Uint8Array(64);
  /**
   * The COMPLETE trials' numbers, best first (ties: lower number first), and their keys (the
   * value, negated when maximizing): kept sorted as trials come, so that a step takes the best
   * gamma(n) as a prefix. Given up (null) if a value is NaN, which has no place in an order.
   */
  private ranked: SortedByKey | null = new SortedByKey();
  private readonly sign: number;

  constructor(direction: StudyDirection) {
    this.sign = direction === "minimize" ? 1 : -1;
  }

  /**
   * Reads a study's trials (a list in number order, as StudyView gives them): records the final
   * ones not read before and returns what a step needs of the list.
   */
  read(all: readonly FrozenTrial[]): LedgerRead {
    const fresh: FrozenTrial[] = [];
    const unfinished: FrozenTrial[] = [];
    const unfinishedAt: number[] = [];
    const known = this.known;
    for (let i = 0; i < all.length; i++) {
      const t = all[i] as FrozenTrial;
      if (known[i] === t) continue;
      const state = t.state;
      if (state !== TrialState.COMPLETE && state !== TrialState.PRUNED && state !== TrialState.FAIL) {
        unfinished.push(t);
        unfinishedAt.push(i);
        continue;
      }
      known[i] = t;
      // Read before under another object (a storage may rebuild its trials): nothing new.
      if (t.number < this.final.length && this.final[t.number] === 1) continue;
      this.record(t);
      if (state !== TrialState.FAIL) fresh.push(t);
    }
    return { fresh, unfinished, unfinishedAt };
  }

  /**
   * The observations of a step: the final trials read so far, and `running` (the other RUNNING
   * trials, constant liar's observations). Valid until the next call.
   */
  index(running: readonly FrozenTrial[]): ObservationIndex {
    let count = this.size;
    for (const t of running) count = Math.max(count, t.number + 1);
    if (this.stepRoles.length < count) this.stepRoles = new Uint8Array(2 * count);
    const roles = this.stepRoles;
    roles.set(this.roles.subarray(0, this.size));
    roles.fill(Role.NONE, this.size, count);
    for (const t of running) roles[t.number] = Role.RUNNING;
    const trialAt = (number: number): FrozenTrial => this.trials[number] as FrozenTrial;
    const ranked = this.ranked === null ? undefined : this.ranked.numbers.subarray(0, this.ranked.size);
    return { count, roles, values: this.values, trialAt, ranked };
  }

  private record(t: FrozenTrial): void {
    const number = t.number;
    if (number >= this.final.length) this.grow(number + 1);
    this.final[number] = 1;
    this.roles[number] = t.state === TrialState.FAIL ? Role.NONE : roleOf(t);
    this.values[number] = t.value ?? Number.NaN;
    this.trials[number] = t;
    this.size = Math.max(this.size, number + 1);
    if (t.state !== TrialState.FAIL) this.nFinished++;
    if (this.roles[number] === Role.COMPLETE) this.rank(number, this.sign * (t.value as number));
  }

  /** Puts a COMPLETE trial into the ranking: after every better key and every equal one of a lower number. */
  private rank(number: number, key: number): void {
    const ranked = this.ranked;
    if (ranked === null) return;
    if (Number.isNaN(key)) {
      this.ranked = null;
      return;
    }
    ranked.insert(key, number);
  }

  private grow(minimum: number): void {
    this.roles = grown(this.roles, minimum);
    this.final = grown(this.final, minimum);
    this.values = grown(this.values, minimum);
  }
}
