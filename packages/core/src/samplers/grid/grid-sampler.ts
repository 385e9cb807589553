import type { Distribution, ParamValue } from "../../distributions.js";
import { InvalidOptionError } from "../../errors.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import { deriveSeed, Rng } from "../../rng.js";
import type { StudyView } from "../../study-view.js";
import { isFinished, TrialState } from "../../trial-state.js";
import type { Sampler, SearchSpace } from "../sampler.js";

/** The system attrs a grid trial carries, as Optuna's: its point's index and the grid it is of. */
export const GRID_ID_ATTR = "grid_id";
export const GRID_SEARCH_SPACE_ATTR = "search_space";

/** A grid: each parameter's values, in the order they are tried. */
export type GridSearchSpace = Readonly<Record<string, readonly ParamValue[]>>;

/**
 * Optuna's GridSampler: every trial takes a point of the grid (the product of the parameters'
 * values, parameters by name) that no finished or running trial has, picked at random (seeded,
 * by the trial's number), and the study stops once every point is done. The point is recorded as
 * the trial's `grid_id` and `fixedParams` system attrs, so a cluster's coordinator hands it to the
 * worker in the job like an enqueued trial's. The trial that takes the last free point stops the
 * study (running trials finish), so parallel workers repeat no point; only a study resumed with
 * every point taken runs one repeat before it stops. An objective that asks for a parameter the
 * grid does not have fails with the grid's names.
 */
export class GridSampler implements Sampler {
  private readonly space: Record<string, readonly ParamValue[]>;
  private readonly names: string[];
  private readonly seed: number;
  /** The grid as trials record it, serialised once: how a trial's recorded grid is compared. */
  private readonly spaceKey: string;
  /** Points in the grid: the product of the value counts. */
  readonly size: number;

  constructor(searchSpace: GridSearchSpace, options: { seed?: number } = {}) {
    if (searchSpace === null || typeof searchSpace !== "object" || Array.isArray(searchSpace)) {
      throw new InvalidOptionError("searchSpace", `must map each parameter to its values, e.g. { x: [0, 1, 2] }, got ${JSON.stringify(searchSpace)}.`);
    }
    this.names = Object.keys(searchSpace).sort();
    this.space = {};
    for (const name of this.names) {
      const values = searchSpace[name];
      if (!Array.isArray(values) || values.length === 0) {
        throw new InvalidOptionError("searchSpace", `"${name}" must have a non-empty array of values, got ${JSON.stringify(values)}.`);
      }
      for (const v of values) {
        const ok = v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
        if (!ok) throw new InvalidOptionError("searchSpace", `"${name}" holds ${String(v)}: values must be finite numbers, strings, booleans or null.`);
      }
      this.space[name] = [...values];
    }
    this.spaceKey = JSON.stringify(this.space);
    this.size = this.names.reduce((n, name) => n * (this.space[name] as readonly ParamValue[]).length, 1);
    this.seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  }

  /** The grid's `id`-th point: the last parameter (by name) varies fastest. */
  point(id: number): Record<string, ParamValue> {
    const params: Record<string, ParamValue> = {};
    let rest = id;
    for (let i = this.names.length - 1; i >= 0; i--) {
      const values = this.space[this.names[i] as string] as readonly ParamValue[];
      params[this.names[i] as string] = values[rest % values.length] as ParamValue;
      rest = Math.floor(rest / values.length);
    }
    return params;
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    // An enqueued trial keeps its params; a trial that has its point (a resumed one) keeps it.
    if (GRID_ID_ATTR in trial.systemAttrs || "fixedParams" in trial.systemAttrs) return;
    const { unvisited, notRunning } = this.openPoints(study, trial.number);
    const candidates = notRunning.length > 0 ? notRunning : unvisited.length > 0 ? unvisited : null;
    const rng = new Rng(deriveSeed(this.seed, trial.number, "grid"));
    // Nothing left at all (a study resumed after its grid was done): a repeat, then the stop.
    const id = candidates === null ? rng.int(this.size) : (candidates[rng.int(candidates.length)] as number);
    study.setTrialSystemAttr?.(trial.trialId, GRID_ID_ATTR, id);
    study.setTrialSystemAttr?.(trial.trialId, GRID_SEARCH_SPACE_ATTR, this.space);
    study.setTrialSystemAttr?.(trial.trialId, "fixedParams", this.point(id));
    // This trial took the last point no trial has: nothing new to start. The running trials finish
    // (a cluster's queued ones run), so a parallel study repeats no point, unlike Optuna's.
    if (notRunning.length <= 1) study.stop?.();
  }

  inferRelativeSearchSpace(): SearchSpace {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(_study: StudyView, _trial: FrozenTrial, name: string, _distribution: Distribution): ParamValue {
    // The grid's own parameters come from the trial's fixedParams; only others reach here.
    throw new InvalidOptionError("searchSpace", `the objective asks for "${name}", which the grid does not have (it has ${this.names.map((n) => `"${n}"`).join(", ")}).`);
  }

  afterTrial(study: StudyView, trial: FrozenTrial, state: TrialState): void {
    if (!isFinished(state)) return;
    const { unvisited } = this.openPoints(study, trial.number);
    if (unvisited.length === 0) study.stop?.();
  }

  /**
   * The points no finished trial of this grid has (`trial` itself counts as finished), and of
   * those, the ones no running trial has either.
   */
  private openPoints(study: StudyView, finishing: number): { unvisited: number[]; notRunning: number[] } {
    const visited = new Set<number>();
    const running = new Set<number>();
    for (const t of study.getTrials()) {
      const id = t.systemAttrs[GRID_ID_ATTR];
      if (typeof id !== "number" || !this.sameGrid(t.systemAttrs[GRID_SEARCH_SPACE_ATTR])) continue;
      if (t.number === finishing || isFinished(t.state)) visited.add(id);
      else if (t.state === TrialState.RUNNING) running.add(id);
    }
    const unvisited: number[] = [];
    const notRunning: number[] = [];
    for (let id = 0; id < this.size; id++) {
      if (visited.has(id)) continue;
      unvisited.push(id);
      if (!running.has(id)) notRunning.push(id);
    }
    return { unvisited, notRunning };
  }

  /** Whether a trial's recorded grid is this one (a study may have run another grid before). */
  private sameGrid(recorded: unknown): boolean {
    return JSON.stringify(recorded) === this.spaceKey;
  }
}
