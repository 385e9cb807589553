import { TrialState, type Distribution, type ParamValue, type Study } from "@shoal/core";
import type { TrialJob } from "@shoal/redis";

/** What the coordinator sampled for a trial before a worker runs it; kept in the trial's systemAttrs. */
export interface Proposal {
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  fixedParams: Record<string, ParamValue>;
}

/**
 * Starts the study's next trial and pre-samples every parameter the study knows, as late as
 * possible (just before enqueueing), so the sampler sees every result so far. Parameters the
 * objective asks for that no trial has had yet are sampled by the worker.
 */
export function proposeTrial(study: Study): { number: number; proposal: Proposal } {
  const trial = study.ask();
  const known = study.storage.getParamDistributions(study.studyId);
  const params: Record<string, ParamValue> = {};
  for (const [name, distribution] of Object.entries(known)) params[name] = trial.propose(name, distribution);
  const fixed = (trial.frozen().systemAttrs.fixedParams as Record<string, ParamValue> | undefined) ?? {};
  const proposal: Proposal = { params: { ...params, ...fixed }, distributions: known, fixedParams: fixed };
  // Recorded as the trial's params while it runs, so constant liar sees where the running trials
  // are; the worker's result replaces them with the params the objective really asked for.
  for (const [name, value] of Object.entries(params)) study.storage.setTrialParam(trial.trialId, name, value, known[name] as Distribution);
  study.storage.setTrialSystemAttr(trial.trialId, "proposal", proposal);
  return { number: trial.number, proposal };
}

/** The job payload for a trial. */
export function trialJobData(study: Study, number: number, proposal: Proposal, objectiveId: string | null, seed: number): TrialJob {
  return {
    v: 1,
    study: study.studyName,
    number,
    objective: objectiveId,
    params: proposal.params,
    distributions: proposal.distributions,
    fixedParams: proposal.fixedParams,
    seed,
    direction: study.direction,
  };
}

/** The proposal stored with a RUNNING trial, to enqueue it again if its job was lost. */
export function storedProposal(study: Study, number: number): Proposal {
  const trial = study.getTrials({ states: [TrialState.RUNNING] }).find((t) => t.number === number);
  const p = trial?.systemAttrs.proposal as Proposal | undefined;
  return p ?? { params: {}, distributions: {}, fixedParams: {} };
}
