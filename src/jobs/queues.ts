/** The BullMQ queues of the worker role, their job names, ids and default options. */
import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';
import { closeSharedQueue } from '../lib/close-queue.js';
import { openSharedQueue } from '../lib/open-queue.js';
import { DELIVERY_JOB_OPTIONS } from '../notify/delivery-schedule.js';

export const ALERTS_QUEUE = 's3-chatops-alerts';
export const NOTIFY_QUEUE = 's3-chatops-notify';

/** Job names on the alerts queue (the digest joins it). */
export const TICK_JOB = 'alert-tick';
export const EVALUATE_JOB = 'alert-evaluate';
/** Job name on the notify queue. */
export const DELIVER_JOB = 'alert-deliver';

export interface TickData {
  /** The tick's slot (ISO): the time node-cron scheduled it for, the same in every process. */
  slot: string;
  /** The time the data is judged at (ISO). */
  at: string;
}

export interface EvaluateData extends TickData {
  chunk: number;
  buckets: string[];
  fleet: boolean;
}

export interface DeliverData {
  alertId: string;
}

/** BullMQ job ids may not hold `:`; alert ids do. */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** One id per tick slot: however many processes enqueue it, BullMQ keeps one job. */
export function tickJobId(slot: Date): string {
  return `tick-${slot.getTime()}`;
}

export function evaluateJobId(slot: string, chunk: number): string {
  return `eval-${Date.parse(slot)}-${chunk}`;
}

/** One id per alert and version: the delivery of one change is enqueued once. */
export function deliverJobId(alertId: string, version: number): string {
  return `deliver-${safe(alertId)}-${version}`;
}

/** Completed jobs stay a day: their ids keep a repeated enqueue of the same slot a no-op. */
export const KEEP_JOBS: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const EVALUATE_OPTIONS: JobsOptions = { ...KEEP_JOBS, attempts: 5, backoff: { type: 'exponential', delay: 1_000 } };
/** Slack deliveries follow the one delivery schedule (`DELIVERY_JOB_OPTIONS`); one that failed for good is revived by the next tick's sweep. */
export const DELIVER_OPTIONS: JobsOptions = DELIVERY_JOB_OPTIONS;

/** The producers of the worker role, on one fail-fast connection. */
export interface WorkerQueues {
  alerts: Queue;
  notify: Queue;
  close(): Promise<void>;
}

/** Opens both queues as producers; their errors are logged, never thrown at the process. */
export function openQueues(connection: Redis, prefix: string | undefined, logger: Logger): WorkerQueues {
  const alerts = openSharedQueue(ALERTS_QUEUE, connection, prefix);
  const notify = openSharedQueue(NOTIFY_QUEUE, connection, prefix);
  for (const queue of [alerts, notify]) queue.on('error', (error) => logger.warn({ err: error, queue: queue.name }, 'queue error'));
  return {
    alerts,
    notify,
    async close() {
      await Promise.all([closeSharedQueue(alerts), closeSharedQueue(notify)]);
    },
  };
}
