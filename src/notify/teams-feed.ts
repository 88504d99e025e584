/**
 * What feeds the Teams queue: one job per alert change and Teams destination (the webhook, the
 * bot's channel; the change itself is in each one's outbox already, added by the commit that
 * recorded it) and the daily digest (the webhook's). The producer side alone,
 * for every process that commits alert changes: the worker, the command line, and the bot, whose
 * Snooze and Acknowledge go to Teams as soon as they are committed.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AlertOutbox } from '../alerts/outbox.js';
import type { AlertEvent } from '../alerts/types.js';
import { addOrRevive, type IdentifiedJob } from '../lib/add-or-revive.js';
import { closeSharedQueue } from '../lib/close-queue.js';
import { openSharedQueue } from '../lib/open-queue.js';
import type { Logger } from '../lib/logger.js';
import type { DigestReport } from '../reports/digest/types.js';
import { DELIVERY_JOB_OPTIONS } from './delivery-schedule.js';
import { TEAMS_BOT_ALERT_JOB } from './teams-bot-delivery.js';
import { TEAMS_ALERT_JOB, TEAMS_DIGEST_JOB, TEAMS_QUEUE, type TeamsAlertJobData, type TeamsDigestJobData } from './teams-delivery.js';
import { teamsDigestMessage } from './teams-digest.js';

/** What feeds the Teams queue: alert changes and the daily digest. */
export interface TeamsFeed {
  /** Queues a job for each committed change (a lost job is made up by `relay`). */
  alertEvents(events: readonly AlertEvent[]): Promise<void>;
  digest(slot: string, report: DigestReport): Promise<void>;
  /** Queues a job again for every alert with unsent changes (reviving one that failed for good); returns how many were revived. */
  relay(): Promise<number>;
}

/** BullMQ job ids may not hold `:`; alert ids do. */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** A Teams destination's outbox as the feed reads it. */
type FeedOutbox = Pick<AlertOutbox, 'pendingIds' | 'next'>;

/** One Teams destination's outbox and the job that delivers from it. */
interface TeamsRoute {
  outbox: FeedOutbox;
  job: string;
  /** The start of its job ids, one id per alert and version. */
  idPrefix: string;
}

/** Teams' outboxes the feed queues jobs for: the webhook's, the bot's channel's, or both. */
export interface TeamsOutboxes {
  /** The webhook's outbox (its cards, and the digest). */
  outbox?: FeedOutbox | undefined;
  /** The bot's alert channel's outbox. */
  botOutbox?: FeedOutbox | undefined;
}

/** Queues jobs for alert changes in each Teams destination's outbox, and (with a webhook) digests, on the Teams queue. */
export function teamsFeed(queue: Pick<Queue, 'addBulk' | 'add' | 'getJob' | 'getJobState'>, outboxes: TeamsOutboxes): TeamsFeed {
  const routes: TeamsRoute[] = [
    ...(outboxes.outbox ? [{ outbox: outboxes.outbox, job: TEAMS_ALERT_JOB, idPrefix: 'teams' }] : []),
    ...(outboxes.botOutbox ? [{ outbox: outboxes.botOutbox, job: TEAMS_BOT_ALERT_JOB, idPrefix: 'teams-bot' }] : []),
  ];
  const alertJob = (route: TeamsRoute, e: AlertEvent): IdentifiedJob<TeamsAlertJobData> => ({
    name: route.job,
    data: { alertId: e.state.id },
    opts: { ...DELIVERY_JOB_OPTIONS, jobId: `${route.idPrefix}-${safe(e.state.id)}-${e.version}` },
  });
  return {
    async alertEvents(events) {
      if (events.length === 0 || routes.length === 0) return;
      await queue.addBulk(routes.flatMap((route) => events.map((e) => alertJob(route, e))));
    },
    async digest(slot, report) {
      // The bot's channel gets alerts; the digest goes to the webhook alone.
      if (!outboxes.outbox) return;
      const data: TeamsDigestJobData = { slot, message: teamsDigestMessage(report) };
      await queue.add(TEAMS_DIGEST_JOB, data, { ...DELIVERY_JOB_OPTIONS, jobId: `teams-digest-${safe(slot)}` });
    },
    async relay() {
      let revived = 0;
      for (const route of routes) {
        const heads = await Promise.all((await route.outbox.pendingIds()).map((id) => route.outbox.next(id)));
        revived += await addOrRevive(queue, heads.flatMap((e) => (e ? [alertJob(route, e)] : [])));
      }
      return revived;
    },
  };
}

export interface TeamsFeedOptions extends TeamsOutboxes {
  /** A fail-fast connection: the queue's producer. */
  connection: Redis;
  queuePrefix?: string;
  logger: Logger;
}

/** Opens the Teams queue as a producer on `connection`; `close` closes the queue. */
export function openTeamsFeed(options: TeamsFeedOptions): { feed: TeamsFeed; close(): Promise<void> } {
  const queue = openSharedQueue(TEAMS_QUEUE, options.connection, options.queuePrefix);
  queue.on('error', (error) => options.logger.warn({ err: error, queue: TEAMS_QUEUE }, 'queue error'));
  return { feed: teamsFeed(queue, { outbox: options.outbox, botOutbox: options.botOutbox }), close: () => closeSharedQueue(queue) };
}
