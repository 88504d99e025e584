/**
 * The one retry schedule of every chat delivery (Slack alerts, Teams cards): BullMQ's job attempts
 * are the only retry layer. The Slack client does not retry a delivery call itself, and a rate
 * limit or a busy alert is a wait (the job is delayed), not a failed attempt.
 */
import type { JobsOptions } from 'bullmq';

/** Failed attempts before a delivery job fails for good (then the next tick's sweep starts it over). */
export const DELIVERY_ATTEMPTS = 30;
/** The first wait after a failed send; it doubles up to `MAX_FAILED_MS`. */
const FIRST_FAILED_MS = 500;
/** The longest wait after a failed send. */
const MAX_FAILED_MS = 60_000;
/** The first wait while another worker holds the alert; it doubles up to `MAX_BUSY_MS`. */
const FIRST_BUSY_MS = 300;
/** The longest wait while another worker holds the alert. */
const MAX_BUSY_MS = 30_000;
/** A Retry-After is honoured, but never below this. */
const MIN_RETRY_AFTER_MS = 100;

/** The backoff type name delivery jobs carry; the workers register `deliveryBackoff` as their strategy. */
export const DELIVERY_BACKOFF = 'delivery';

/**
 * Job options of every delivery: kept a day (their ids make a repeated enqueue a no-op), failed
 * ones a week; `DELIVERY_ATTEMPTS` attempts on the `delivery` backoff (about 23 minutes in all).
 */
export const DELIVERY_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
  attempts: DELIVERY_ATTEMPTS,
  backoff: { type: DELIVERY_BACKOFF },
};

/** The wait after the `attemptsMade`-th failed send: 0.5 s, doubling, at most a minute. */
export function deliveryRetryDelay(attemptsMade: number): number {
  return Math.min(MAX_FAILED_MS, FIRST_FAILED_MS * 2 ** Math.min(Math.max(attemptsMade - 1, 0), 7));
}

/** The wait before looking again at an alert another worker holds, after `busyTimes` such waits: 0.3 s, doubling, at most 30 s. */
export function busyDelay(busyTimes: number): number {
  return Math.min(MAX_BUSY_MS, FIRST_BUSY_MS * 2 ** Math.min(Math.max(busyTimes, 0), 7));
}

/** The waits a delivery job gets between its attempts, in order: the documented schedule. */
export function deliverySchedule(): number[] {
  return Array.from({ length: DELIVERY_ATTEMPTS - 1 }, (_, i) => deliveryRetryDelay(i + 1));
}

/** How long an error asks to wait before trying again (a 429's Retry-After), if it says. */
export function retryAfterMs(error: unknown): number | undefined {
  const e = (error ?? {}) as { retryAfterMs?: unknown; retryAfter?: unknown; code?: unknown };
  if (typeof e.retryAfterMs === 'number') return Math.max(MIN_RETRY_AFTER_MS, e.retryAfterMs);
  // @slack/web-api's WebAPIRateLimitedError carries Retry-After in seconds.
  if (e.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number') return Math.max(MIN_RETRY_AFTER_MS, e.retryAfter * 1000);
  return undefined;
}

/** BullMQ's backoff strategy of delivery jobs: a failed send's Retry-After if it gave one, else the schedule. */
export function deliveryBackoff(attemptsMade: number, _type?: string, error?: Error): number {
  return retryAfterMs(error) ?? deliveryRetryDelay(attemptsMade);
}
