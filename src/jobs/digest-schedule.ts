/**
 * The daily digest's enqueue: every process ticks, and the job id from the local date keeps one a
 * day. A digest that could not be queued (Redis away at its time) is tried again until it is, for
 * up to a day: unlike an alert tick, no later tick would make it up.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/load.js';
import type { Logger } from '../lib/logger.js';
import { digestJobFor } from './digest-job.js';
import { retryUntilDone } from './retry-until.js';
import type { TickSource } from './tick-source.js';

/** How long after a failed enqueue of the digest (Redis away) it is tried again, at most. */
const DIGEST_RETRY_MS = 30_000;
const DAY_MS = 86_400_000;

export interface DigestScheduleOptions {
  config: Config;
  queue: Pick<Queue, 'add'>;
  /** The connection the queue adds through: once it is back, a digest left waiting is tried at once. */
  producer: Pick<Redis, 'on'>;
  ticks: TickSource;
  logger: Logger;
}

/** Queues the digest at each of `ticks`, retrying a failed enqueue; `stop` ends the ticks and the retries. */
export function scheduleDigests(options: DigestScheduleOptions): { stop(): void } {
  const retry = retryUntilDone({ firstRetryMs: 1_000, everyMs: DIGEST_RETRY_MS, forMs: DAY_MS, logger: options.logger, what: 'enqueue the daily digest' });
  // Once the connection is back, try at once (and, should that try come too soon, the next within seconds: the waits start at 1 s and double up to 30 s).
  options.producer.on('ready', () => retry.retryNow());
  const source = options.ticks((run) => {
    const job = digestJobFor(run, options.config);
    retry.run(() => options.queue.add(job.name, job.data, job.opts), { slot: job.data.slot });
  });
  return {
    stop() {
      retry.stop();
      source.stop();
    },
  };
}
