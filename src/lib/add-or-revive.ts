/** Adding BullMQ jobs by id so that a repeated add is a no-op, yet work whose job failed for good is not left stuck. */
import type { JobsOptions, Queue } from 'bullmq';

/** A job to add under its own id (the id is what keeps a repeated add a no-op). */
export interface IdentifiedJob<T = unknown> {
  name: string;
  data: T;
  opts: JobsOptions & { jobId: string };
}

/**
 * Adds jobs by id, and retries from scratch any whose job with that id had failed for good: a
 * failed job is kept (for a week) and its id would turn every later add into a no-op, leaving
 * the work it stood for stuck. Returns how many failed jobs were revived.
 */
export async function addOrRevive(queue: Pick<Queue, 'addBulk' | 'getJob' | 'getJobState'>, jobs: readonly IdentifiedJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  await queue.addBulk([...jobs]);
  const revived = await Promise.all(
    jobs.map(async ({ opts }) => {
      // One call for the usual case (queued, running or done); the job itself only when it failed.
      if ((await queue.getJobState(opts.jobId)) !== 'failed') return false;
      const job = await queue.getJob(opts.jobId);
      if (!job) return false;
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return true;
      } catch {
        // Another process revived it first (it is no longer in the failed set), or it just aged out.
        return false;
      }
    }),
  );
  return revived.filter(Boolean).length;
}

