/** One way every worker of the role picks the code for a job: by its name, and a name it does not know is never retried. */
import { UnrecoverableError, type Job } from 'bullmq';

/** What runs a job of one name; `token` is BullMQ's lock token of the job (to delay it). */
export type JobHandler = (job: Job, token?: string) => Promise<unknown>;

/**
 * A processor that runs the handler of `job.name`. An unknown name (a job queued by a newer or
 * older release, or by hand) fails at once with a message naming the known ones: retrying would
 * not teach this worker a new job.
 */
export function dispatchByName(queue: string, handlers: Readonly<Record<string, JobHandler>>): JobHandler {
  return async (job, token) => {
    const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
    if (!handler) throw new UnrecoverableError(`unknown job "${job.name}" on queue ${queue}; this worker runs: ${Object.keys(handlers).join(', ')}`);
    return handler(job, token);
  };
}
