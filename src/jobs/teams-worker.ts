/**
 * The worker role's Teams side, started only when TEAMS_WEBHOOK_URL is set: the Teams queue (its
 * own BullMQ queue and worker, so a Teams outage never slows Slack) over Teams' outbox, and the
 * feed that the alert and digest jobs queue cards through. Retries, busy alerts and refusals go through the
 * one delivery pipeline and schedule; cards are paced across workers like Slack messages.
 */
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { AlertMessageOptions } from '../alerts/message.js';
import type { AlertOutbox } from '../alerts/outbox.js';
import type { Logger } from '../lib/logger.js';
import { RedisPacer } from '../lib/redis-pacer.js';
import { botMetrics } from '../metrics/definitions.js';
import { deliveryBackoff } from '../notify/delivery-schedule.js';
import { deliverTeamsAlert, deliverTeamsDigest, TEAMS_ALERT_JOB, TEAMS_DIGEST_JOB, TEAMS_QUEUE, teamsDestination, type TeamsAlertJobData, type TeamsDeliveryDeps, type TeamsDigestJobData } from '../notify/teams-delivery.js';
import { TeamsDigestRecord } from '../notify/teams-digest-record.js';
import { openTeamsFeed, type TeamsFeed } from '../notify/teams-feed.js';
import { TeamsWebhook } from '../notify/teams-webhook.js';
import { runDeliveryJob } from './delivery-job.js';
import { dispatchByName } from './dispatch.js';
import { jobProcessor } from './job-runner.js';

export interface TeamsDeliveryOptions {
  webhookUrl: string;
  /** BullMQ's blocking connection (maxRetriesPerRequest null), shared with the other workers. */
  workerConnection: Redis;
  /** The fail-fast producer connection. */
  producerConnection: Redis;
  /** Teams' outbox in the worker's alert store (read and written through the store's connection, which waits out a reconnect). */
  outbox: AlertOutbox;
  /** Where the digest record and the pace live (the alert store's connection). */
  storeConnection: Redis;
  queuePrefix?: string;
  keyPrefix?: string;
  message: AlertMessageOptions;
  logger: Logger;
  /** Cards a second to the webhook, across all workers (Teams throttles a webhook at a few a second). */
  cardsPerSecond?: number;
  fetch?: typeof fetch;
  /** Where job durations and refusals go (the worker's registry). */
  registry?: Registry;
}

/** The running Teams delivery: the feed to queue cards, and how to stop its worker. */
export interface TeamsDelivery {
  feed: TeamsFeed;
  /** The Teams queue's worker, for a shutdown bounded across all the role's workers. */
  worker: Worker;
  close(): Promise<void>;
}

/** Starts the Teams queue's worker and returns the feed for the alert and digest jobs. */
export function startTeamsDelivery(options: TeamsDeliveryOptions): TeamsDelivery {
  const log = options.logger.child({ destination: 'teams' });
  const prefix = options.queuePrefix ? { prefix: options.queuePrefix } : {};
  const keyPrefix = options.keyPrefix ?? 's3-chatops:';
  const { outbox } = options;
  const { feed, close: closeFeed } = openTeamsFeed({ connection: options.producerConnection, outbox, logger: log, ...(options.queuePrefix ? { queuePrefix: options.queuePrefix } : {}) });
  const webhook = new TeamsWebhook({ url: options.webhookUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  // One pace for the webhook across every worker, as Slack messages have per channel.
  const pace = new RedisPacer(options.storeConnection, `${keyPrefix}pace:teams:webhook`, Math.max(1, options.cardsPerSecond ?? 4));
  const deps = { outbox, digests: new TeamsDigestRecord(options.storeConnection, keyPrefix), webhook, pace, message: options.message, logger: log } satisfies TeamsDeliveryDeps;
  const metrics = options.registry ? botMetrics(options.registry) : undefined;
  const ctx = { destination: teamsDestination(deps), logger: log, ...(metrics ? { onRefused: (destination: string, reason: string) => metrics.deliveryRefusals.inc({ destination, reason }) } : {}) };
  const processor = dispatchByName(TEAMS_QUEUE, {
    [TEAMS_ALERT_JOB]: (job, token) => runDeliveryJob(ctx, job, token, async () => ({ sent: await deliverTeamsAlert(deps, (job.data as TeamsAlertJobData).alertId) })),
    [TEAMS_DIGEST_JOB]: (job, token) => runDeliveryJob(ctx, job, token, async () => ({ posted: await deliverTeamsDigest(deps, job.data as TeamsDigestJobData) })),
  });
  // Timed and logged with its job id like every job of the worker role.
  const worker = new Worker(TEAMS_QUEUE, jobProcessor(TEAMS_QUEUE, processor, options.registry ? { registry: options.registry } : {}), {
    connection: options.workerConnection,
    concurrency: 2,
    settings: { backoffStrategy: deliveryBackoff },
    ...prefix,
  });
  worker.on('error', (error) => log.warn({ err: error, queue: TEAMS_QUEUE }, 'worker error'));
  worker.on('failed', (job, error) => log.warn({ err: error, queue: TEAMS_QUEUE, jobId: job?.id, jobName: job?.name, attempt: job?.attemptsMade }, 'Teams job failed'));
  log.info('Teams delivery started');
  return {
    feed,
    worker,
    async close() {
      await worker.close();
      await closeFeed();
    },
  };
}
