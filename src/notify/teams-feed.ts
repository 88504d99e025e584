/**
 * What feeds the Teams queue: alert changes (each Teams destination's outbox first, then one job
 * per change and destination: the webhook, the bot's channel) and the daily digest (the webhook).
 * The producer side alone, for every process that commits alert changes: the worker, and the bot,
 * whose Snooze and Acknowledge go to Teams as soon as they are committed.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AlertEvent } from '../alerts/types.js';
import { addOrRevive, type IdentifiedJob } from '../lib/add-or-revive.js';
import { closeSharedQueue } from '../lib/close-queue.js';
import type { Logger } from '../lib/logger.js';
import type { DigestReport } from '../reports/digest/types.js';
import { DELIVERY_JOB_OPTIONS } from './delivery-schedule.js';
import { TEAMS_BOT_ALERT_JOB, TEAMS_BOT_DESTINATION } from './teams-bot-delivery.js';
import { TEAMS_ALERT_JOB, TEAMS_DIGEST_JOB, TEAMS_QUEUE, type TeamsAlertJobData, type TeamsDigestJobData } from './teams-delivery.js';
import { teamsDigestMessage } from './teams-digest.js';
import { TeamsOutbox } from './teams-outbox.js';

/** What feeds the Teams queue: alert changes and the daily digest. */
export interface TeamsFeed {
  alertEvents(events: readonly AlertEvent[]): Promise<void>;
  digest(slot: string, report: DigestReport): Promise<void>;
  /** Queues a job again for every alert with unsent changes (reviving one that failed for good); returns how many were revived. */
  relay(): Promise<number>;
}

/** BullMQ job ids may not hold `:`; alert ids do. */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** One Teams destination's outbox and the job that delivers from it. */
export interface TeamsRoute {
  outbox: TeamsOutbox;
  job: string;
  /** The start of its job ids, one id per alert and version. */
  idPrefix: string;
}

/** The webhook's route: its outbox, `teams-alert` jobs. */
export function webhookRoute(outbox: TeamsOutbox): TeamsRoute {
  return { outbox, job: TEAMS_ALERT_JOB, idPrefix: 'teams' };
}

/** The bot's channel's route: its outbox, `teams-bot-alert` jobs. */
export function botRoute(outbox: TeamsOutbox): TeamsRoute {
  return { outbox, job: TEAMS_BOT_ALERT_JOB, idPrefix: TEAMS_BOT_DESTINATION };
}

/**
 * Queues alert changes (each route's outbox first, then one job per change and route) and, with a
 * webhook, digests on the Teams queue.
 */
export function teamsFeed(queue: Pick<Queue, 'addBulk' | 'add' | 'getJob' | 'getJobState'>, routes: { webhook?: TeamsOutbox; bot?: TeamsOutbox }): TeamsFeed {
  const all = [...(routes.webhook ? [webhookRoute(routes.webhook)] : []), ...(routes.bot ? [botRoute(routes.bot)] : [])];
  const alertJob = (route: TeamsRoute, e: AlertEvent): IdentifiedJob<TeamsAlertJobData> => ({
    name: route.job,
    data: { alertId: e.state.id },
    opts: { ...DELIVERY_JOB_OPTIONS, jobId: `${route.idPrefix}-${safe(e.state.id)}-${e.version}` },
  });
  return {
    async alertEvents(events) {
      if (events.length === 0 || all.length === 0) return;
      // The outbox is written first: a job that runs finds the event, and a lost job is made up by the next one.
      for (const route of all) for (const event of events) await route.outbox.add(event);
      await queue.addBulk(all.flatMap((route) => events.map((e) => alertJob(route, e))));
    },
    async digest(slot, report) {
      // The bot's channel gets alerts; the digest goes to the webhook alone.
      if (!routes.webhook) return;
      const data: TeamsDigestJobData = { slot, message: teamsDigestMessage(report) };
      await queue.add(TEAMS_DIGEST_JOB, data, { ...DELIVERY_JOB_OPTIONS, jobId: `teams-digest-${safe(slot)}` });
    },
    async relay() {
      let revived = 0;
      for (const route of all) {
        const heads = await Promise.all((await route.outbox.pendingAlerts()).map((id) => route.outbox.next(id)));
        revived += await addOrRevive(queue, heads.flatMap((e) => (e ? [alertJob(route, e)] : [])));
      }
      return revived;
    },
  };
}

export interface TeamsFeedOptions {
  /** A fail-fast connection: the queue's producer and (unless `outboxConnection`) the outboxes. */
  connection: Redis;
  /** Where the outboxes are read and written, when not through `connection` (the worker's store connection). */
  outboxConnection?: Redis;
  queuePrefix?: string;
  keyPrefix?: string;
  logger: Logger;
  /** Which Teams destinations get alert changes: the webhook (the default) and the bot's channel. */
  destinations?: { webhook: boolean; bot: boolean };
}

/** Opens the Teams queue as a producer and each destination's outbox on `connection`; `close` closes the queue. */
export function openTeamsFeed(options: TeamsFeedOptions): { feed: TeamsFeed; outbox: TeamsOutbox; botOutbox: TeamsOutbox; close(): Promise<void> } {
  const queue = new Queue(TEAMS_QUEUE, { connection: options.connection, ...(options.queuePrefix ? { prefix: options.queuePrefix } : {}) });
  queue.on('error', (error) => options.logger.warn({ err: error, queue: TEAMS_QUEUE }, 'queue error'));
  const redis = options.outboxConnection ?? options.connection;
  const outbox = new TeamsOutbox(redis, options.keyPrefix);
  const botOutbox = new TeamsOutbox(redis, options.keyPrefix, TEAMS_BOT_DESTINATION);
  const { webhook, bot } = options.destinations ?? { webhook: true, bot: false };
  const feed = teamsFeed(queue, { ...(webhook ? { webhook: outbox } : {}), ...(bot ? { bot: botOutbox } : {}) });
  return { feed, outbox, botOutbox, close: () => closeSharedQueue(queue) };
}
