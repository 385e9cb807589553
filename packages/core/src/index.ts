/**
 * @shoal/core: search spaces, samplers, pruners and the Study. Pure TypeScript; the only output
 * is the log and the optional progress bar on standard error.
 */
export {
  categoricalDistribution,
  checkCompatible,
  containsValue,
  describeDistribution,
  distributionsEqual,
  floatDistribution,
  intDistribution,
  isSingle,
  toExternal,
  toInternal,
  type CategoricalChoice,
  type CategoricalDistribution,
  type Distribution,
  type FloatDistribution,
  type IntDistribution,
  type NumericSuggestOptions,
  type ParamValue,
} from "./distributions.js";
export { distributionSchema, paramValueSchema } from "./distribution-schema.js";
export {
  checkIntegerOption,
  describeError,
  IncompatibleDistributionError,
  InvalidOptionError,
  MultiObjectiveError,
  NoCompletedTrialsError,
  RemoteError,
  SearchSpaceError,
  serializeError,
  ShoalError,
  StudyJsonError,
  StudyNameError,
  TrialPruned,
  TrialStateError,
  type SerializedError,
} from "./errors.js";
export { frozenTrialToJSON, isBetter, lastStep, singleValue, type FrozenTrial, type StudyDirection } from "./frozen-trial.js";
export {
  createLogger,
  formatLogTime,
  getLogger,
  setLogger,
  setVerbosity,
  terminal,
  type LogFormat,
  type Logger,
  type LoggerOptions,
  type LogSink,
} from "./logging.js";
export * from "./multi-objective/index.js";
export { ProgressBar, progressDescription } from "./progress-bar.js";
export { MedianPruner, PercentilePruner, type PercentilePrunerOptions } from "./pruners/median-pruner.js";
export { NopPruner } from "./pruners/nop-pruner.js";
export type { Pruner } from "./pruners/pruner.js";
export { CONSTRAINTS_ATTR, isFeasible, recordConstraints, trialViolation, type ConstraintsFunc } from "./constraints.js";
export { pyFloat, pyParams, pyValue } from "./python-repr.js";
export { deriveSeed, Rng } from "./rng.js";
export { RandomSampler, sampleUniform, type RandomSamplerOptions } from "./samplers/random-sampler.js";
export type { Sampler, SearchSpace } from "./samplers/sampler.js";
export * from "./samplers/cmaes/index.js";
export * from "./samplers/gp/index.js";
export * from "./samplers/grid/index.js";
export * from "./samplers/nsga/index.js";
export * from "./samplers/partial-fixed/index.js";
export * from "./samplers/qmc/index.js";
export * from "./samplers/tpe/index.js";
export { InMemoryStorage } from "./storage/in-memory-storage.js";
export type { Storage, StudySummary, TrialTemplate, TrialTimes } from "./storage/storage.js";
export {
  createStudy,
  loadStudy,
  paretoFrontTrials,
  Study,
  type CatchOption,
  type CreateStudyOptions,
  type LoadStudyOptions,
  type Objective,
  type OptimizeCallback,
  type OptimizeOptions,
} from "./study.js";
export {
  checkObjectiveValues,
  describeBadValue,
  evaluateObjective,
  judgeTrialEnd,
  outcomeOfError,
  type TrialEnd,
  type TrialOutcome,
} from "./trial-end.js";
export { parseStudyJson, STUDY_JSON_FORMAT, studyToJson, type StudyJson } from "./study-json.js";
export type { StudyView } from "./study-view.js";
export { checkReportArgs, Trial, type BaseTrial, type TrialContext } from "./trial.js";
export { isFinished, TrialState } from "./trial-state.js";
export * from "./importance/index.js";
