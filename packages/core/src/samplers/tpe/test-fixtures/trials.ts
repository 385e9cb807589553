import type { Distribution, ParamValue } from "../../../distributions.js";
import type { FrozenTrial, StudyDirection } from "../../../frozen-trial.js";
import type { StudyView } from "../../../study-view.js";
import { TrialState } from "../../../trial-state.js";

/** A FrozenTrial for sampler tests: only what TPE reads is meaningful. */
export function frozenTrial(
  number: number,
  state: TrialState,
  value: number | null,
  params: Record<string, ParamValue> = {},
  distributions: Record<string, Distribution> = {},
  intermediateValues: Record<number, number> = {},
): FrozenTrial {
  return {
    trialId: number,
    number,
    state,
    value,
    values: value === null ? null : [value],
    params,
    distributions,
    userAttrs: {},
    systemAttrs: {},
    intermediateValues,
    datetimeStart: null,
    datetimeComplete: null,
    duration: null,
  };
}

/** A StudyView over a fixed list of trials. */
export function fakeStudy(trials: readonly FrozenTrial[], direction: StudyDirection = "minimize"): StudyView {
  return {
    studyName: "fake",
    direction,
    directions: [direction],
    getTrials: (options = {}) => (options.states ? trials.filter((t) => options.states?.includes(t.state)) : [...trials]),
  };
}

export const COMPLETE = TrialState.COMPLETE;
export const PRUNED = TrialState.PRUNED;
export const RUNNING = TrialState.RUNNING;
export const FAIL = TrialState.FAIL;
