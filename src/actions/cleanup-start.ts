/** Starting a confirmed cleanup exactly once: a Redis claim on the preview's job id, then the BullMQ job with that id. */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CLEANUP_JOB, CLEANUP_JOB_OPTIONS, cleanupJobId, type CleanupJobData } from '../jobs/cleanup-job.js';

export type CleanupStartOutcome = { started: true; jobId: string } | { started: false; jobId: string; by: string };

export interface CleanupStarter {
  start(data: CleanupJobData): Promise<CleanupStartOutcome>;
}

/** How long a claim holds: as long as the job's record, so a late second press still finds it. */
const CLAIM_SECONDS = 7 * 24 * 3600;

/** A starter over a BullMQ queue and a Redis connection. */
export function queueCleanupStarter(queue: Pick<Queue, 'add'>, redis: Pick<Redis, 'set' | 'get' | 'del'>, keyPrefix = 's3-chatops:'): CleanupStarter {
  return {
    async start(data) {
      const jobId = cleanupJobId(data.bucket, data.cutoff);
      const claim = `${keyPrefix}cleanup-claim:${jobId}`;
      // SET NX: of two presses, in one process or two, one wins; the job id guards the queue as well.
      const won = await redis.set(claim, data.user, 'EX', CLAIM_SECONDS, 'NX');
      if (won !== 'OK') return { started: false, jobId, by: (await redis.get(claim)) ?? 'someone' };
      try {
        await queue.add(CLEANUP_JOB, data, { ...CLEANUP_JOB_OPTIONS, jobId });
      } catch (error) {
        // Nothing was queued: free the claim so the press can be repeated.
        await redis.del(claim).catch(() => undefined);
        throw error;
      }
      return { started: true, jobId };
    },
  };
}
