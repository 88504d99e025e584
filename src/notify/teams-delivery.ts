/**
 * Delivery to Teams on its own BullMQ queue, so a Teams outage never delays or loses a Slack
 * message: alert changes are queued in the Teams outbox and sent in version order, one card
 * each; the digest is one card a day. 429 pauses the queue for Retry-After (BullMQ's manual
 * rate limit: the webhook is throttled as a whole); 5xx and network failures back off and retry;
 * every card sent is recorded, so a retried or re-queued job sends nothing twice.
 */
import { UnrecoverableError, Worker, type Job, type JobsOptions, type Queue } from 'bullmq';
import type { AlertMessageOptions } from '../alerts/message.js';
import type { AlertEvent } from '../alerts/types.js';
import { addOrRevive, type IdentifiedJob } from '../jobs/queues.js';
import type { Logger } from '../lib/logger.js';
import { LockLostError } from '../lib/redis-lock.js';
import { deliveryRetryDelay } from '../jobs/backoff.js';
import type { Message } from '../message/model.js';
import { renderTeams } from '../render/teams/index.js';
import type { DigestReport } from '../reports/digest/types.js';
import { teamsAlertMessage } from './teams-alert.js';
import { teamsDigestMessage } from './teams-digest.js';
import type { TeamsOutbox } from './teams-outbox.js';
import { TeamsDeliveryError, type TeamsAnswer } from './teams-webhook.js';

export const TEAMS_QUEUE = 's3-chatops-teams';
export const TEAMS_ALERT_JOB = 'teams-alert';
export const TEAMS_DIGEST_JOB = 'teams-digest';

/**
 * Kept a day (their ids make a repeated enqueue a no-op); retried for hours like Slack deliveries
 * (500 attempts, backoff up to a minute: about 8 h; a 429 does not count as an attempt), and an
 * alert's job that failed for good is revived by the next tick's sweep of the outbox.
 */
export const TEAMS_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
  attempts: 500,
  backoff: { type: 'teams' },
};

export interface TeamsAlertJobData {
  alertId: string;
}

export interface TeamsDigestJobData {
  slot: string;
  message: Message;
}

/** BullMQ job ids may not hold `:`; alert ids do. */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Thrown when another worker is sending an alert's cards; the job retries shortly. */
export class TeamsBusyError extends Error {
  constructor(id: string) {
    super(`another worker is sending alert ${id} to Teams`);
    this.name = 'TeamsBusyError';
  }
}

/** What feeds the Teams queue: alert changes and the daily digest. */
export interface TeamsFeed {
  alertEvents(events: readonly AlertEvent[]): Promise<void>;
  digest(slot: string, report: DigestReport): Promise<void>;
  /** Queues a job again for every alert with unsent changes (reviving one that failed for good); returns how many were revived. */
  relay(): Promise<number>;
}

/** Queues alert changes (outbox first, then one job per change) and digests on the Teams queue. */
export function teamsFeed(queue: Pick<Queue, 'addBulk' | 'add' | 'getJob' | 'getJobState'>, outbox: TeamsOutbox): TeamsFeed {
  const alertJob = (e: AlertEvent): IdentifiedJob<TeamsAlertJobData> => ({
    name: TEAMS_ALERT_JOB,
    data: { alertId: e.state.id },
    opts: { ...TEAMS_JOB_OPTIONS, jobId: `teams-${safe(e.state.id)}-${e.version}` },
  });
  return {
    async alertEvents(events) {
      if (events.length === 0) return;
      // The outbox is written first: a job that runs finds the event, and a lost job is made up by the next one.
      for (const event of events) await outbox.add(event);
      await queue.addBulk(events.map(alertJob));
    },
    async digest(slot, report) {
      const data: TeamsDigestJobData = { slot, message: teamsDigestMessage(report) };
      await queue.add(TEAMS_DIGEST_JOB, data, { ...TEAMS_JOB_OPTIONS, jobId: `teams-digest-${safe(slot)}` });
    },
    async relay() {
      const heads = await Promise.all((await outbox.pendingAlerts()).map((id) => outbox.next(id)));
      return addOrRevive(queue, heads.flatMap((e) => (e ? [alertJob(e)] : [])));
    },
  };
}

export interface TeamsDeliveryDeps {
  outbox: TeamsOutbox;
  webhook: { post(body: ReturnType<typeof renderTeams>): Promise<TeamsAnswer> };
  message: AlertMessageOptions;
  logger: Logger;
  /** How long the per-alert lock outlives a holder that died; a live holder keeps renewing it. */
  lockMs?: number;
}

/** Sends every unsent change of one alert to Teams, oldest first, one card each; returns how many went out. */
export async function deliverTeamsAlert(deps: TeamsDeliveryDeps, alertId: string): Promise<number> {
  const lock = await deps.outbox.lock(alertId, deps.lockMs ?? 60_000);
  if (!lock) throw new TeamsBusyError(alertId);
  let sent = 0;
  try {
    for (let event = await deps.outbox.next(alertId); event; event = await deps.outbox.next(alertId)) {
      const tag = { alert: alertId, version: event.version, kind: event.kind };
      // Another worker may have this alert now (this one stalled past the lock's TTL): stop before sending.
      lock.assertHeld();
      try {
        await deps.webhook.post(renderTeams(teamsAlertMessage(event, deps.message)));
      } catch (error) {
        if (!(error instanceof TeamsDeliveryError) || error.retryable || !cardRefused(error)) throw error;
        // Teams refused this one card; sending it again would fail the same way and hold back the rest.
        deps.logger.error({ ...tag, err: error }, 'Teams refused the alert card; skipping it');
      }
      await deps.outbox.markSent(alertId, event.version);
      sent += 1;
      deps.logger.info(tag, 'alert card sent to Teams');
    }
  } catch (error) {
    if (error instanceof LockLostError) deps.logger.warn({ alert: alertId, sent }, 'lost the Teams lock of the alert; stopping');
    throw error;
  } finally {
    await lock.release().catch((error: unknown) => deps.logger.warn({ err: error, alert: alertId }, 'could not release the Teams lock; it expires by itself'));
  }
  return sent;
}

/** Posts a slot's digest card unless it went out before; true when this call posted it. */
export async function deliverTeamsDigest(deps: TeamsDeliveryDeps, data: TeamsDigestJobData): Promise<boolean> {
  if (await deps.outbox.digestSent(data.slot)) return false;
  await deps.webhook.post(renderTeams(data.message));
  await deps.outbox.markDigestSent(data.slot);
  deps.logger.info({ slot: data.slot }, 'digest card sent to Teams');
  return true;
}

/** 400 and 413 are about the card, not the webhook. */
function cardRefused(error: TeamsDeliveryError): boolean {
  return error.status === 400 || error.status === 413;
}

/**
 * The Teams queue's processor. A 429 pauses the whole queue for Retry-After (the job is not
 * counted as a failed attempt); a broken webhook (401, 403, 404) and 5xx answers back off.
 */
export async function processTeamsJob(deps: TeamsDeliveryDeps, job: Job, queue: Pick<Queue, 'rateLimit'>): Promise<unknown> {
  try {
    if (job.name === TEAMS_ALERT_JOB) return { sent: await deliverTeamsAlert(deps, (job.data as TeamsAlertJobData).alertId) };
    if (job.name === TEAMS_DIGEST_JOB) return { posted: await deliverTeamsDigest(deps, job.data as TeamsDigestJobData) };
    throw new UnrecoverableError(`unknown Teams job ${job.name}`);
  } catch (error) {
    if (error instanceof TeamsDeliveryError && error.status === 429) {
      const waitMs = error.retryAfterMs ?? 10_000;
      deps.logger.warn({ job: job.id, waitMs }, 'Teams is rate limiting the webhook; waiting as it asks');
      await queue.rateLimit(waitMs);
      throw Worker.RateLimitError();
    }
    throw error;
  }
}

/** As the Slack deliveries back off (deliveryRetryDelay), and a Retry-After from Teams is honoured. */
export function teamsBackoff(attemptsMade: number, _type?: string, error?: Error): number {
  if (error instanceof TeamsDeliveryError && error.retryAfterMs !== undefined) return Math.max(100, error.retryAfterMs);
  return deliveryRetryDelay(attemptsMade, error?.name === 'TeamsBusyError' || error?.name === 'LockLostError');
}
