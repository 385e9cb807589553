import { MalformedPayloadError } from "@shoal/redis";
import { Worker, type Job, type JobJson } from "bullmq";

/**
 * BullMQ's Worker, except for a job whose `data` is not JSON (pushed by hand or by another
 * client). BullMQ parses it in `createJob`, inside its fetch loop, before any processor sees the
 * job: the parse error is thrown there, the job stays in `active`, the stalled-job check hands it
 * out again and every worker prints a stack trace each time, for ever. Here such a job is built
 * with no data and BullMQ's own `deferredFailure` set, which BullMQ fails with an
 * UnrecoverableError before calling the processor: the job is failed once, with a reason that says
 * what is wrong, and never retried; QueueWorker logs it in one line, as any refused job. The data
 * stays in the job's hash for whoever wants to look at it.
 */
export class TrialJobWorker extends Worker {
  protected override createJob(json: JobJson, jobId: string): Job {
    try {
      return super.createJob(json, jobId);
    } catch (error) {
      const job = super.createJob({ ...json, data: "null" }, jobId);
      job.deferredFailure = new MalformedPayloadError(
        `trial job ${json.id || jobId}`,
        `its data is not JSON (${error instanceof Error ? error.message : String(error)}); a trial job's data is the JSON object that shoal optimize writes.`,
      ).message;
      return job;
    }
  }
}
