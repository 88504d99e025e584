/** Starting a confirmed cleanup exactly once: a Redis claim on the preview's job id, then the BullMQ job with that id. */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CleanupStarter } from '../actions/cleanup-start.js';
import { CLEANUP_JOB, CLEANUP_JOB_OPTIONS, cleanupJobId } from './cleanup-job.js';

/** How long a claim holds: as long as the job's record, so a late second press still finds it. */
const CLAIM_SECONDS = 7 * 24 * 3600;

// KEYS: claim. ARGV: the presser. Frees a claim only while it is still this presser's.
const UNCLAIM = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** A starter over a BullMQ queue and a Redis connection. */
export function queueCleanupStarter(queue: Pick<Queue, 'add'>, redis: Pick<Redis, 'set' | 'get' | 'del' | 'eval'>, keyPrefix = 's3-chatops:'): CleanupStarter {
  return {
    async start(data) {
      const jobId = cleanupJobId(data.bucket, data.cutoff);
      const claim = `${keyPrefix}cleanup-claim:${jobId}`;
      // SET NX: of two presses, in one process or two, one wins; the job id guards the queue as well.
      let won: string | null;
      try {
        won = await redis.set(claim, data.user, 'EX', CLAIM_SECONDS, 'NX');
      } catch (error) {
        // No answer in time: the SET may still be applied once Redis answers, and would then refuse
        // every later press with nothing queued. An unclaim sent behind it on the same connection
        // is applied after it, so the press can be repeated.
        redis.eval(UNCLAIM, 1, claim, data.user).catch(() => undefined);
        throw error;
      }
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
