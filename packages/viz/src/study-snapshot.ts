import type { FrozenTrial, StudyDirection, StudyView, TrialState } from "@shoal/core";

/**
 * A study as a fixed list of trials: what the plots and the report read. Any source that can
 * list its trials (a JSON file today, Redis later) becomes one, and a live Study already is a
 * StudyView, so it can be passed directly.
 */
export class StudySnapshot implements StudyView {
  constructor(
    readonly studyName: string,
    readonly direction: StudyDirection,
    private readonly trials: readonly FrozenTrial[],
  ) {}

  getTrials(options: { states?: readonly TrialState[] } = {}): readonly FrozenTrial[] {
    const { states } = options;
    return states === undefined ? this.trials : this.trials.filter((t) => states.includes(t.state));
  }
}
