/**
 * The worker role's Teams side, started when TEAMS_WEBHOOK_URL or the bot's `teams.alertChannel`
 * is set: the Teams queue (its own BullMQ queue and worker, so a Teams outage never slows Slack)
 * over each Teams destination's outbox, and the feed that the alert and digest jobs queue cards
 * through. Retries, busy alerts and refusals go through the one delivery pipeline and schedule;
 * cards are paced across workers like Slack messages, each destination at its own pace.
 */
import type { Connections } from '@microsoft/agents-hosting';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { AlertMessageOptions } from '../alerts/message.js';
import type { AlertOutbox } from '../alerts/outbox.js';
import type { TeamsBotSettings } from '../config/load.js';
import type { Logger } from '../lib/logger.js';
import { RedisPacer } from '../lib/redis-pacer.js';
import { botMetrics } from '../metrics/definitions.js';
import { deliveryBackoff } from '../notify/delivery-schedule.js';
import { PacedNotifier } from '../notify/paced.js';
import type { Destination } from '../notify/pipeline.js';
import { deliverTeamsBotAlert, TEAMS_BOT_ALERT_JOB, teamsBotDestination, type TeamsBotDeliveryDeps } from '../notify/teams-bot-delivery.js';
import { deliverTeamsAlert, deliverTeamsDigest, TEAMS_ALERT_JOB, TEAMS_DIGEST_JOB, TEAMS_QUEUE, teamsDestination, type TeamsAlertJobData, type TeamsDeliveryDeps, type TeamsDigestJobData } from '../notify/teams-delivery.js';
import { TeamsDigestRecord } from '../notify/teams-digest-record.js';
import { openTeamsFeed, type TeamsFeed } from '../notify/teams-feed.js';
import { TeamsWebhook } from '../notify/teams-webhook.js';
import { TeamsChannelNotifier } from '../teams/alert-notifier.js';
import { TeamsProactive } from '../teams/proactive.js';
import { runDeliveryJob } from './delivery-job.js';
import { dispatchByName, type JobHandler } from './dispatch.js';
import { jobProcessor } from './job-runner.js';

/** Messages a second the bot posts or edits in its alert channel, across every worker (Teams allows a bot about 2 a second in one conversation, sustained). */
export const TEAMS_BOT_MESSAGES_PER_SECOND = 2;

/** The bot's alert channel, when alerts go there as the bot's own messages. */
export interface TeamsBotAlertsOptions {
  settings: TeamsBotSettings;
  /** The channel's conversation id (`teams.alertChannel`). */
  channel: string;
  /** The Bot Connector (`teams.serviceUrl`). */
  serviceUrl: string;
  /** The bot's outbox in the worker's alert store (`store.outbox(TEAMS_BOT_DESTINATION)`). */
  outbox: AlertOutbox;
  /** Where the bot's tokens come from; MSAL against its authority by default. */
  connections?: Connections;
  /** How long one Bot Connector call may take. */
  deadlineMs?: number;
  messagesPerSecond?: number;
}

export interface TeamsDeliveryOptions {
  /** The Workflows webhook, when alert and digest cards go there (with `outbox`). */
  webhookUrl?: string | undefined;
  /** The bot's alert channel, when alerts go there. */
  bot?: TeamsBotAlertsOptions | undefined;
  /** BullMQ's blocking connection (maxRetriesPerRequest null), shared with the other workers. */
  workerConnection: Redis;
  /** The fail-fast producer connection. */
  producerConnection: Redis;
  /** The webhook's outbox in the worker's alert store (read and written through the store's connection, which waits out a reconnect). */
  outbox?: AlertOutbox | undefined;
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
  const { webhookUrl, bot } = options;
  const outbox = webhookUrl ? options.outbox : undefined;
  if (webhookUrl && !outbox) throw new Error('a Teams webhook needs its outbox');
  const { feed, close: closeFeed } = openTeamsFeed({ connection: options.producerConnection, outbox, botOutbox: bot?.outbox, logger: log, ...(options.queuePrefix ? { queuePrefix: options.queuePrefix } : {}) });
  const metrics = options.registry ? botMetrics(options.registry) : undefined;
  const onRefused = metrics ? { onRefused: (destination: string, reason: string) => metrics.deliveryRefusals.inc({ destination, reason }) } : {};
  /** A job delivering to `destination` under the one pipeline's job rules (busy and 429 wait, refusals fail for good). */
  const delivering = (destination: Destination, logger: Logger, deliver: (job: Job) => Promise<unknown>): JobHandler => (job, token) => runDeliveryJob({ destination, logger, ...onRefused }, job, token, () => deliver(job));
  const handlers: Record<string, JobHandler> = {};
  if (webhookUrl && outbox) {
    const webhook = new TeamsWebhook({ url: webhookUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
    // One pace for the webhook across every worker, as Slack messages have per channel.
    const pace = new RedisPacer(options.storeConnection, `${keyPrefix}pace:teams:webhook`, Math.max(1, options.cardsPerSecond ?? 4));
    const deps = { outbox, digests: new TeamsDigestRecord(options.storeConnection, keyPrefix), webhook, pace, message: options.message, logger: log } satisfies TeamsDeliveryDeps;
    const destination = teamsDestination(deps);
    handlers[TEAMS_ALERT_JOB] = delivering(destination, log, async (job) => ({ sent: await deliverTeamsAlert(deps, (job.data as TeamsAlertJobData).alertId) }));
    handlers[TEAMS_DIGEST_JOB] = delivering(destination, log, async (job) => ({ posted: await deliverTeamsDigest(deps, job.data as TeamsDigestJobData) }));
  }
  if (bot) {
    const botLog = options.logger.child({ destination: bot.outbox.destination });
    const proactive = new TeamsProactive(bot.settings, { ...(bot.connections ? { connections: bot.connections } : {}), ...(bot.deadlineMs ? { deadlineMs: bot.deadlineMs } : {}) });
    // Each post, edit and thread line takes a slot of the channel's pace, shared by every worker.
    const pace = new RedisPacer(options.storeConnection, `${keyPrefix}pace:teams-bot:${bot.channel}`, bot.messagesPerSecond ?? TEAMS_BOT_MESSAGES_PER_SECOND);
    const notifier = new PacedNotifier(new TeamsChannelNotifier(proactive, { serviceUrl: bot.serviceUrl, conversationId: bot.channel }), pace);
    const deps: TeamsBotDeliveryDeps = { outbox: bot.outbox, notifier, message: options.message, logger: botLog };
    handlers[TEAMS_BOT_ALERT_JOB] = delivering(teamsBotDestination(deps), botLog, async (job) => ({ sent: await deliverTeamsBotAlert(deps, (job.data as TeamsAlertJobData).alertId) }));
  }
  const processor = dispatchByName(TEAMS_QUEUE, handlers);
  // Timed and logged with its job id like every job of the worker role.
  const worker = new Worker(TEAMS_QUEUE, jobProcessor(TEAMS_QUEUE, processor, options.registry ? { registry: options.registry } : {}), {
    connection: options.workerConnection,
    concurrency: 4,
    settings: { backoffStrategy: deliveryBackoff },
    ...prefix,
  });
  worker.on('error', (error) => log.warn({ err: error, queue: TEAMS_QUEUE }, 'worker error'));
  worker.on('failed', (job, error) => log.warn({ err: error, queue: TEAMS_QUEUE, jobId: job?.id, jobName: job?.name, attempt: job?.attemptsMade }, 'Teams job failed'));
  log.info({ webhook: Boolean(webhookUrl), botChannel: bot?.channel ?? null }, 'Teams delivery started');
  return {
    feed,
    worker,
    async close() {
      await worker.close();
      await closeFeed();
    },
  };
}
