/**
 * Teams delivery for the one-shot command line (`alerts evaluate --post`, `digest --post`): the
 * cards are posted before the command ends, retrying 429 (after its Retry-After), 5xx and network
 * failures on the delivery schedule, for a bounded time. Alert changes are in Teams' outbox since
 * their commit, and go onto the Teams queue first, exactly as the worker queues them, so a card the
 * command could not post is sent later by a worker, and a card sent once is never sent again.
 */
import type { Redis } from 'ioredis';
import type { AlertMessageOptions } from '../alerts/message.js';
import type { AlertOutbox } from '../alerts/outbox.js';
import type { AlertEvent } from '../alerts/types.js';
import type { Logger } from '../lib/logger.js';
import { renderTeams, type TeamsWebhookBody } from '../render/teams/index.js';
import type { DigestReport } from '../reports/digest/types.js';
import { deliveryBackoff } from './delivery-schedule.js';
import { DeliveryBusyError } from './pipeline.js';
import { deliverTeamsAlert } from './teams-delivery.js';
import { teamsDigestMessage } from './teams-digest.js';
import { TeamsDeliveryError, TeamsWebhook, type TeamsAnswer } from './teams-webhook.js';
import { openTeamsFeed } from './teams-feed.js';

/** How long the command line keeps trying one card: a person is waiting at the terminal. */
export interface TeamsRetryPolicy {
  attempts: number;
  /** The most it waits in all between attempts; a longer Retry-After ends the attempts. */
  maxWaitMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const CLI_TEAMS_RETRY: TeamsRetryPolicy = { attempts: 6, maxWaitMs: 60_000 };

/** Between tries of an alert a worker is sending: 20 of them wait about 6 s. */
const CLI_BUSY_WAIT_MS = 300;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Posts one card, retrying what the Teams queue retries; throws the last error when out of attempts or time. */
export async function postTeamsWithRetry(
  webhook: { post(body: TeamsWebhookBody): Promise<TeamsAnswer> },
  body: TeamsWebhookBody,
  policy: TeamsRetryPolicy = CLI_TEAMS_RETRY,
  logger?: Logger,
): Promise<TeamsAnswer> {
  let waited = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await webhook.post(body);
    } catch (error) {
      if (!(error instanceof TeamsDeliveryError) || !error.retryable || attempt >= policy.attempts) throw error;
      const waitMs = deliveryBackoff(attempt, 'delivery', error);
      if (waited + waitMs > policy.maxWaitMs) throw error;
      logger?.warn({ err: error, attempt, waitMs }, 'Teams did not take the card; trying again');
      await (policy.sleep ?? sleep)(waitMs);
      waited += waitMs;
    }
  }
}

export interface CliTeamsAlertsOptions {
  url: string;
  /** The command's Redis connection: the Teams queue lives there, beside the alert state. */
  redis: Redis;
  /** Teams' outbox in the command's alert store. */
  outbox: AlertOutbox;
  /** The bot's alert channel's outbox, when it is a destination: its jobs are queued for a worker, which posts as the bot. */
  botOutbox?: AlertOutbox | undefined;
  queuePrefix?: string;
  message: AlertMessageOptions;
  logger: Logger;
  retry?: TeamsRetryPolicy;
  fetch?: typeof fetch;
}

/** What the command line's Teams delivery of alert changes did. */
export interface CliTeamsOutcome {
  sent: number;
  /** Alerts whose cards did not go out now: they wait on the Teams queue for a worker. */
  left: string[];
  problem?: string;
}

/** The alert side of the command line's Teams delivery. */
export interface CliTeamsAlerts {
  /** Queues the committed changes' jobs on the Teams queue, as the worker does. */
  queue(events: readonly AlertEvent[]): Promise<void>;
  /** Sends the pending cards of these alerts now; after one failure of the webhook the rest are left to the queue. */
  send(alertIds: readonly string[]): Promise<CliTeamsOutcome>;
  close(): Promise<void>;
}

/** Opens the Teams outbox, queue and webhook for one command. */
export function cliTeamsAlerts(options: CliTeamsAlertsOptions): CliTeamsAlerts {
  const log = options.logger.child({ destination: 'teams' });
  const { outbox } = options;
  const { feed, close } = openTeamsFeed({ connection: options.redis, outbox, botOutbox: options.botOutbox, logger: log, ...(options.queuePrefix ? { queuePrefix: options.queuePrefix } : {}) });
  const webhook = new TeamsWebhook({ url: options.url, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const policy = options.retry ?? CLI_TEAMS_RETRY;
  const deps = { outbox, webhook: { post: (body: TeamsWebhookBody) => postTeamsWithRetry(webhook, body, policy, log) }, message: options.message, logger: log };
  return {
    queue: (events) => feed.alertEvents(events),
    async send(alertIds) {
      const outcome: CliTeamsOutcome = { sent: 0, left: [] };
      for (const id of alertIds) {
        if (outcome.problem !== undefined) {
          outcome.left.push(id);
          continue;
        }
        try {
          const sent = await sendOne(id);
          if (sent === null) outcome.left.push(id);
          else outcome.sent += sent;
        } catch (error) {
          outcome.left.push(id);
          outcome.problem = error instanceof TeamsDeliveryError ? error.message : String((error as Error).message ?? error);
          log.warn({ err: error, alert: id }, 'Teams did not take the alert card; it waits on the Teams queue');
        }
      }
      return outcome;
    },
    close,
  };

  /** The cards sent, or `null` when a worker held the alert throughout and they are still queued. */
  async function sendOne(id: string): Promise<number | null> {
    for (let tries = 1; ; tries += 1) {
      try {
        return await deliverTeamsAlert(deps, id);
      } catch (error) {
        // A worker is sending this alert's cards: it sends what is pending, this command need not.
        if (error instanceof DeliveryBusyError && tries < 20) {
          // A person is waiting: a few seconds in all, then the queue's worker sends it.
          await (policy.sleep ?? sleep)(CLI_BUSY_WAIT_MS);
          continue;
        }
        if (error instanceof DeliveryBusyError) return null;
        throw error;
      }
    }
  }
}

export interface TeamsDigestNowOptions {
  url: string;
  report: DigestReport;
  logger: Logger;
  retry?: TeamsRetryPolicy;
  fetch?: typeof fetch;
}

/** Posts a digest as its one Teams card now, with the command line's retries; resolves with Teams' answer. */
export async function postTeamsDigestNow(options: TeamsDigestNowOptions): Promise<TeamsAnswer> {
  const webhook = new TeamsWebhook({ url: options.url, ...(options.fetch ? { fetch: options.fetch } : {}) });
  return postTeamsWithRetry(webhook, renderTeams(teamsDigestMessage(options.report)), options.retry, options.logger.child({ destination: 'teams' }));
}
