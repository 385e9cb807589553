import { checkIntegerOption, InvalidOptionError } from "../errors.js";
import { lastStep, type FrozenTrial } from "../frozen-trial.js";
import type { StudyView } from "../study-view.js";
import { TrialState } from "../trial-state.js";
import { percentile } from "./percentile.js";
import type { Pruner } from "./pruner.js";

/** Options of PercentilePruner and MedianPruner; the defaults are Optuna's. */
export interface PercentilePrunerOptions {
  /** No pruning until this many trials have completed. @default 5 */
  nStartupTrials?: number;
  /** No pruning before this step of a trial. @default 0 */
  nWarmupSteps?: number;
  /** Prune only every this many steps after the warm-up. @default 1 */
  intervalSteps?: number;
  /** No pruning at a step until this many completed trials reported it. @default 1 */
  nMinTrials?: number;
}

/**
 * Prunes a trial whose best intermediate value so far is worse than the given percentile of the
 * completed trials' values at the same step.
 */
export class PercentilePruner implements Pruner {
  private readonly nStartupTrials: number;
  private readonly nWarmupSteps: number;
  private readonly intervalSteps: number;
  private readonly nMinTrials: number;

  constructor(
    private readonly percentileValue: number,
    options: PercentilePrunerOptions = {},
  ) {
    if (!(percentileValue >= 0 && percentileValue <= 100)) {
      throw new InvalidOptionError("percentile", `must be in [0, 100], got ${percentileValue}.`);
    }
    this.nStartupTrials = checkIntegerOption("nStartupTrials", options.nStartupTrials ?? 5, 0);
    this.nWarmupSteps = checkIntegerOption("nWarmupSteps", options.nWarmupSteps ?? 0, 0);
    this.intervalSteps = checkIntegerOption("intervalSteps", options.intervalSteps ?? 1, 1);
    this.nMinTrials = checkIntegerOption("nMinTrials", options.nMinTrials ?? 1, 1);
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const completed = study.getTrials({ states: [TrialState.COMPLETE] });
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    const step = lastStep(trial);
    if (step === null || step < this.nWarmupSteps) return false;
    if (!this.isFirstInIntervalStep(step, trial)) return false;

    const maximize = study.direction === "maximize";
    const own = Object.values(trial.intermediateValues);
    const finite = own.filter((v) => !Number.isNaN(v));
    if (finite.length === 0) return true;
    const best = maximize ? Math.max(...finite) : Math.min(...finite);

    const atStep: number[] = [];
    for (const t of completed) {
      const v = t.intermediateValues[step];
      if (v !== undefined) atStep.push(v);
    }
    if (atStep.length < this.nMinTrials) return false;
    const p = percentile(atStep, maximize ? 100 - this.percentileValue : this.percentileValue);
    if (Number.isNaN(p)) return false;
    return maximize ? best < p : best > p;
  }

  /** True when `step` is the first step reported since the last pruning checkpoint. */
  private isFirstInIntervalStep(step: number, trial: FrozenTrial): boolean {
    const checkpoint =
      Math.floor((step - this.nWarmupSteps) / this.intervalSteps) * this.intervalSteps + this.nWarmupSteps;
    let previous = -1;
    for (const key of Object.keys(trial.intermediateValues)) {
      const s = Number(key);
      if (s < step && s > previous) previous = s;
    }
    return previous < checkpoint;
  }
}

/** Prunes a trial whose best intermediate value is worse than the median of completed trials at that step. */
export class MedianPruner extends PercentilePruner {
  constructor(options: PercentilePrunerOptions = {}) {
    super(50, options);
  }
}
