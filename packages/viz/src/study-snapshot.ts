import { MultiObjectiveError, type FrozenTrial, type StudyDirection, type StudyView, type TrialState } from "@shoal/core";

/**
 * A study as a fixed list of trials: what the plots and the report read. Any source that can
 * list its trials (a JSON file today, Redis later) becomes one, and a live Study already is a
 * StudyView, so it can be passed directly.
 */
export class StudySnapshot implements StudyView {
  /** One per objective. */
  readonly directions: readonly StudyDirection[];

  constructor(
    readonly studyName: string,
    directions: StudyDirection | readonly StudyDirection[],
    private readonly trials: readonly FrozenTrial[],
  ) {
    this.directions = typeof directions === "string" ? [directions] : [...directions];
  }

  /** The direction of a single-objective study; MultiObjectiveError on a multi-objective one. */
  get direction(): StudyDirection {
    if (this.directions.length !== 1) throw new MultiObjectiveError(this.studyName, this.directions.length, "direction", "a target (one objective) or the Pareto-front plot");
    return this.directions[0]!;
  }

  getTrials(options: { states?: readonly TrialState[] } = {}): readonly FrozenTrial[] {
    const { states } = options;
    return states === undefined ? this.trials : this.trials.filter((t) => states.includes(t.state));
  }
}
