import { TrialState, type Distribution, type ParamValue, type Study } from "@shoal/core";
import type { TrialJob } from "@shoal/redis";

/**
 * What the coordinator sampled for a trial before a worker runs it. Kept as the RUNNING trial's
 * params and distributions (and its enqueued `fixedParams` system attr), so it can be rebuilt.
 */
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
    direction: study.directions[0]!,
    ...(study.isMultiObjective ? { directions: [...study.directions] } : {}),
  };
}

/** The proposal of a RUNNING trial, rebuilt from what it stored, to enqueue it again if its job was lost. */
export function storedProposal(study: Study, number: number): Proposal {
  const trial = study.storage.getTrialByNumber(study.studyId, number);
  if (trial?.state !== TrialState.RUNNING) return { params: {}, distributions: {}, fixedParams: {} };
  const fixedParams = (trial.systemAttrs.fixedParams as Record<string, ParamValue> | undefined) ?? {};
  return { params: { ...trial.params, ...fixedParams }, distributions: { ...trial.distributions }, fixedParams };
}
