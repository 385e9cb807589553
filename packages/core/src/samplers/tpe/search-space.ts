import { distributionsEqual, isSingle, type Distribution } from "../../distributions.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import type { SearchSpace } from "../sampler.js";
import { grown } from "./grown.js";

/**
 * The parameters every given trial has, with the same distribution in each: what multivariate
 * TPE can sample jointly. Incremental: finished trials never change, so each is read once.
 */
export class IntersectionSearchSpace {
  private space: Map<string, Distribution> | null = null;
  private readonly seen = new SeenTrials();
  private result: SearchSpace | null = null;

  /** Adds the trials not seen before and returns the intersection, names sorted. */
  calculate(trials: readonly FrozenTrial[]): SearchSpace {
    this.add(trials);
    return this.current();
  }

  /** Adds the trials not seen before (any others are skipped). */
  add(trials: readonly FrozenTrial[]): void {
    for (const trial of trials) {
      if (!this.seen.add(trial.number)) continue;
      this.result = null;
      if (this.space === null) {
        this.space = new Map(Object.entries(trial.distributions));
        continue;
      }
      for (const [name, distribution] of this.space) {
        const other = trial.distributions[name];
        if (other === undefined || !distributionsEqual(distribution, other)) this.space.delete(name);
      }
    }
  }

  /** The intersection of the trials added so far, names sorted. */
  current(): SearchSpace {
    this.result ??= sortedSpace(this.space ?? new Map());
    return this.result;
  }
}

/**
 * Splits the parameters into groups that always appear together (Optuna's group decomposition):
 * two parameters share a group when every trial has both or neither. With conditional spaces
 * each branch becomes its own group, so multivariate TPE can model it jointly.
 */
export class GroupDecomposedSearchSpace {
  private groups: Array<Map<string, Distribution>> = [];
  private readonly seen = new SeenTrials();
  private result: SearchSpace[] | null = null;

  /** Adds the trials not seen before and returns the groups, each with names sorted. */
  calculate(trials: readonly FrozenTrial[]): SearchSpace[] {
    this.add(trials);
    return this.current();
  }

  /** Adds the trials not seen before (any others are skipped). */
  add(trials: readonly FrozenTrial[]): void {
    for (const trial of trials) {
      if (!this.seen.add(trial.number)) continue;
      this.result = null;
      this.addDistributions(trial.distributions);
    }
  }

  /** The groups of the trials added so far, each with names sorted. */
  current(): SearchSpace[] {
    this.result ??= this.groups.map(sortedSpace);
    return this.result;
  }

  private addDistributions(distributions: Readonly<Record<string, Distribution>>): void {
    const remaining = new Set(Object.keys(distributions));
    const next: Array<Map<string, Distribution>> = [];
    for (const group of this.groups) {
      const shared = new Map<string, Distribution>();
      const rest = new Map<string, Distribution>();
      for (const [name, d] of group) (remaining.has(name) ? shared : rest).set(name, d);
      next.push(shared, rest);
      for (const name of group.keys()) remaining.delete(name);
    }
    const fresh = new Map<string, Distribution>();
    for (const name of remaining) fresh.set(name, distributions[name] as Distribution);
    next.push(fresh);
    this.groups = next.filter((g) => g.size > 0);
  }
}

/** The space without parameters that can take one value only (nothing to sample). */
export function withoutSingles(space: SearchSpace): SearchSpace {
  const out: SearchSpace = {};
  for (const [name, d] of Object.entries(space)) if (!isSingle(d)) out[name] = d;
  return out;
}

/** Which trial numbers have been read, as a growable bitmap. */
class SeenTrials {
  private flags = new Uint8Array(256);

  /** Marks `number` seen; false if it already was. */
  add(number: number): boolean {
    if (number >= this.flags.length) this.flags = grown(this.flags, number + 1);
    if (this.flags[number] === 1) return false;
    this.flags[number] = 1;
    return true;
  }
}

function sortedSpace(space: ReadonlyMap<string, Distribution>): SearchSpace {
  const out: SearchSpace = {};
  for (const name of [...space.keys()].sort()) out[name] = space.get(name) as Distribution;
  return out;
}
