/**
 * How a delivery job (to any destination) meets BullMQ's one retry layer: a busy alert or a rate
 * limit is a delay that spends no attempt (`moveToDelayed` + `DelayedError`); a refusal that needs
 * a person (the bot not in the channel, a revoked token, a deleted Teams workflow) fails the job
 * for good (`UnrecoverableError`) with an error log line and a metric; anything else fails the
 * attempt and is retried on the delivery schedule.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../lib/logger.js';
import { busyDelay, retryAfterMs } from '../notify/delivery-schedule.js';
import { isBusy, type Destination } from '../notify/pipeline.js';

export interface DeliveryJobContext {
  destination: Pick<Destination, 'name' | 'refusal'>;
  logger: Logger;
  /** Counts a refusal (`s3chatops_delivery_refusals_total{destination, reason}`). */
  onRefused?: (destination: string, reason: string) => void;
}

/** Times this job was put back because its alert was busy or rate limited: starts that ended neither done nor failed. */
function delayedTimes(job: Pick<Job, 'attemptsStarted' | 'attemptsMade'>): number {
  return Math.max(0, (job.attemptsStarted ?? 1) - 1 - job.attemptsMade);
}

/** Runs `deliver` for `job`, turning busy and rate limits into delays and refusals into a failure for good. */
export async function runDeliveryJob<R>(ctx: DeliveryJobContext, job: Job, token: string | undefined, deliver: () => Promise<R>): Promise<R> {
  try {
    return await deliver();
  } catch (error) {
    const name = ctx.destination.name;
    const waitMs = isBusy(error) ? busyDelay(delayedTimes(job)) : retryAfterMs(error);
    if (waitMs !== undefined && token !== undefined) {
      ctx.logger.info({ destination: name, job: job.id, waitMs, reason: isBusy(error) ? 'busy' : 'rate_limited' }, 'delivery waits and tries again; no attempt spent');
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    }
    const reason = ctx.destination.refusal(error);
    if (reason !== undefined) {
      ctx.logger.error({ err: error, destination: name, reason, job: job.id }, `${name} refused the delivery (${reason}); it is not retried until a person fixes the token, channel or webhook`);
      ctx.onRefused?.(name, reason);
      throw new UnrecoverableError(`${name} refused the delivery: ${reason}`);
    }
    throw error;
  }
}
