/**
 * What feeds the Teams queue: one job per alert change (the change itself is in Teams' outbox
 * already, added by the commit that recorded it) and the daily digest. The producer side alone,
 * for every process that commits alert changes: the worker, the command line, and the bot, whose
 * Snooze and Acknowledge go to Teams as soon as they are committed.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AlertOutbox } from '../alerts/outbox.js';
import type { AlertEvent } from '../alerts/types.js';
import { addOrRevive, type IdentifiedJob } from '../lib/add-or-revive.js';
import { closeSharedQueue } from '../lib/close-queue.js';
import type { Logger } from '../lib/logger.js';
import type { DigestReport } from '../reports/digest/types.js';
import { DELIVERY_JOB_OPTIONS } from './delivery-schedule.js';
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

/** Queues jobs for alert changes in Teams' outbox, and digests, on the Teams queue. */
export function teamsFeed(queue: Pick<Queue, 'addBulk' | 'add' | 'getJob' | 'getJobState'>, outbox: Pick<AlertOutbox, 'pendingIds' | 'next'>): TeamsFeed {
  const alertJob = (e: AlertEvent): IdentifiedJob<TeamsAlertJobData> => ({
    name: TEAMS_ALERT_JOB,
    data: { alertId: e.state.id },
    opts: { ...DELIVERY_JOB_OPTIONS, jobId: `teams-${safe(e.state.id)}-${e.version}` },
  });
  return {
    async alertEvents(events) {
      if (events.length === 0) return;
      await queue.addBulk(events.map(alertJob));
    },
    async digest(slot, report) {
      const data: TeamsDigestJobData = { slot, message: teamsDigestMessage(report) };
      await queue.add(TEAMS_DIGEST_JOB, data, { ...DELIVERY_JOB_OPTIONS, jobId: `teams-digest-${safe(slot)}` });
    },
    async relay() {
      const heads = await Promise.all((await outbox.pendingIds()).map((id) => outbox.next(id)));
      return addOrRevive(queue, heads.flatMap((e) => (e ? [alertJob(e)] : [])));
    },
  };
}

export interface TeamsFeedOptions {
  /** A fail-fast connection: the queue's producer. */
  connection: Redis;
  /** Teams' outbox in the alert store, which `relay` reads. */
  outbox: Pick<AlertOutbox, 'pendingIds' | 'next'>;
  queuePrefix?: string;
  logger: Logger;
}

/** Opens the Teams queue as a producer on `connection`; `close` closes the queue. */
export function openTeamsFeed(options: TeamsFeedOptions): { feed: TeamsFeed; close(): Promise<void> } {
  const queue = new Queue(TEAMS_QUEUE, { connection: options.connection, ...(options.queuePrefix ? { prefix: options.queuePrefix } : {}) });
  queue.on('error', (error) => options.logger.warn({ err: error, queue: TEAMS_QUEUE }, 'queue error'));
  return { feed: teamsFeed(queue, options.outbox), close: () => closeSharedQueue(queue) };
}
