/**
 * The worker role's Teams side, started only when TEAMS_WEBHOOK_URL is set: the Teams queue
 * (its own BullMQ queue, worker, retries and record, so a Teams outage never slows Slack), the
 * outbox, and the feed that the alert and digest jobs queue cards through.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { jobProcessor } from '../jobs/job-runner.js';
import type { AlertMessageOptions } from '../alerts/message.js';
import { closeSharedQueue } from '../lib/close-queue.js';
import type { Logger } from '../lib/logger.js';
import { processTeamsJob, TEAMS_QUEUE, teamsBackoff, teamsFeed, type TeamsFeed } from './teams-delivery.js';
import { TeamsOutbox } from './teams-outbox.js';
import { TeamsWebhook } from './teams-webhook.js';

export interface TeamsDeliveryOptions {
  webhookUrl: string;
  /** BullMQ's blocking connection (maxRetriesPerRequest null), shared with the other workers. */
  workerConnection: Redis;
  /** The fail-fast producer connection. */
  producerConnection: Redis;
  /** Where the outbox lives (the alert store's connection). */
  storeConnection: Redis;
  queuePrefix?: string;
  keyPrefix?: string;
  message: AlertMessageOptions;
  logger: Logger;
  /** Cards a second to the webhook, across all workers (Teams throttles a webhook at a few a second). */
  cardsPerSecond?: number;
  fetch?: typeof fetch;
  /** Where job durations go (the worker's registry). */
  registry?: Registry;
}

/** The running Teams delivery: the feed to queue cards, and how to stop its worker. */
export interface TeamsDelivery {
  feed: TeamsFeed;
  /** The Teams queue's worker, for a shutdown bounded across all the role's workers. */
  worker: Worker;
  close(): Promise<void>;
}

export interface TeamsFeedOptions {
  /** A fail-fast connection: the queue's producer and the outbox. */
  connection: Redis;
  queuePrefix?: string;
  keyPrefix?: string;
  logger: Logger;
}

/**
 * The producer side alone, for a process that commits alert changes without running the Teams
 * worker (the bot, whose Snooze and Acknowledge go to Teams as soon as they are committed).
 */
export function openTeamsFeed(options: TeamsFeedOptions): { feed: TeamsFeed; outbox: TeamsOutbox; close(): Promise<void> } {
  const queue = new Queue(TEAMS_QUEUE, { connection: options.connection, ...(options.queuePrefix ? { prefix: options.queuePrefix } : {}) });
  queue.on('error', (error) => options.logger.warn({ err: error, queue: TEAMS_QUEUE }, 'queue error'));
  const outbox = new TeamsOutbox(options.connection, options.keyPrefix);
  return {
    feed: teamsFeed(queue, outbox),
    outbox,
    close: () => closeSharedQueue(queue),
  };
}

/** Starts the Teams queue's worker and returns the feed for the alert and digest jobs. */
export function startTeamsDelivery(options: TeamsDeliveryOptions): TeamsDelivery {
  const log = options.logger.child({ destination: 'teams' });
  const prefix = options.queuePrefix ? { prefix: options.queuePrefix } : {};
  const queue = new Queue(TEAMS_QUEUE, { connection: options.producerConnection, ...prefix });
  queue.on('error', (error) => log.warn({ err: error, queue: TEAMS_QUEUE }, 'queue error'));
  const outbox = new TeamsOutbox(options.storeConnection, options.keyPrefix);
  const webhook = new TeamsWebhook({ url: options.webhookUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const deps = { outbox, webhook, message: options.message, logger: log };
  // Timed and logged with its job id like every job of the worker role.
  const processor = jobProcessor(TEAMS_QUEUE, (job: Job) => processTeamsJob(deps, job, queue), options.registry ? { registry: options.registry } : {});
  const worker = new Worker(TEAMS_QUEUE, processor, {
    connection: options.workerConnection,
    concurrency: 2,
    // The limiter is also what lets a 429's Retry-After pause the queue (BullMQ's manual rate limit).
    limiter: { max: Math.max(1, options.cardsPerSecond ?? 4), duration: 1_000 },
    settings: { backoffStrategy: teamsBackoff },
    ...prefix,
  });
  worker.on('error', (error) => log.warn({ err: error, queue: TEAMS_QUEUE }, 'worker error'));
  worker.on('failed', (job, error) => log.warn({ err: error, queue: TEAMS_QUEUE, jobId: job?.id, jobName: job?.name, attempt: job?.attemptsMade }, 'Teams job failed; it will be retried'));
  log.info('Teams delivery started');
  return {
    feed: teamsFeed(queue, outbox),
    worker,
    async close() {
      await worker.close();
      await closeSharedQueue(queue);
    },
  };
}
