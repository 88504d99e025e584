/**
 * Teams (the Workflows webhook) as a destination of the delivery pipeline, on its own BullMQ queue
 * so a Teams outage never delays or loses a Slack message: alert changes wait in Teams' outbox of
 * the alert store and are sent in version order, one card each; the digest is one card a day.
 * Every card sent is recorded, so a retried or re-queued job sends nothing twice.
 */
import type { Message } from '../message/model.js';
import { renderTeams } from '../render/teams/index.js';
import type { AlertMessageOptions } from '../alerts/message.js';
import type { AlertOutbox } from '../alerts/outbox.js';
import type { AlertEvent } from '../alerts/types.js';
import type { Logger } from '../lib/logger.js';
import { inPace, type Pace } from './paced.js';
import { deliverPending, type Destination } from './pipeline.js';
import { teamsAlertMessage } from './teams-alert.js';
import type { TeamsDigestRecord } from './teams-digest-record.js';
import { TeamsDeliveryError, type TeamsAnswer } from './teams-webhook.js';

export const TEAMS_QUEUE = 's3-chatops-teams';
export const TEAMS_ALERT_JOB = 'teams-alert';
export const TEAMS_DIGEST_JOB = 'teams-digest';

export interface TeamsAlertJobData {
  alertId: string;
}

export interface TeamsDigestJobData {
  slot: string;
  message: Message;
}

export interface TeamsDeliveryDeps {
  /** Teams' outbox in the alert store (`store.outbox(TEAMS_WEBHOOK_DESTINATION)`). */
  outbox: AlertOutbox;
  /** The digest cards sent; needed by the digest job only. */
  digests?: TeamsDigestRecord;
  webhook: { post(body: ReturnType<typeof renderTeams>): Promise<TeamsAnswer> };
  message: AlertMessageOptions;
  logger: Logger;
  /** A slot of the webhook's rate, shared by every worker, taken before each card. */
  pace?: Pace;
  /** How long the per-alert lock outlives a holder that died; a live holder keeps renewing it. */
  lockMs?: number;
}

/** The Teams webhook as a pipeline destination: its outbox and lock, one card per change. */
export function teamsDestination(deps: TeamsDeliveryDeps): Destination {
  const { outbox } = deps;
  return {
    name: outbox.destination,
    lock: (id, ttlMs) => outbox.lock(id, ttlMs),
    next: (id) => outbox.next(id),
    async send(event, lock) {
      const body = renderTeams(teamsAlertMessage(event, deps.message));
      await skipRefusedCard(deps.logger, event, () =>
        inPace(deps.pace, lock.signal, () => {
          // The wait for a slot may outlast the lock: stop before sending.
          lock.assertHeld();
          return deps.webhook.post(body);
        }),
      );
    },
    delivered: (id, version) => outbox.delivered(id, version),
    refusal: teamsRefusal,
  };
}

/** Sends every unsent change of one alert to Teams, oldest first, one card each; returns how many went out. */
export async function deliverTeamsAlert(deps: TeamsDeliveryDeps, alertId: string): Promise<number> {
  return deliverPending(teamsDestination(deps), alertId, { logger: deps.logger, ...(deps.lockMs ? { lockMs: deps.lockMs } : {}) });
}

/** Posts a slot's digest card unless it went out before; true when this call posted it. */
export async function deliverTeamsDigest(deps: TeamsDeliveryDeps & { digests: TeamsDigestRecord }, data: TeamsDigestJobData): Promise<boolean> {
  if (await deps.digests.sent(data.slot)) return false;
  await inPace(deps.pace, undefined, () => deps.webhook.post(renderTeams(data.message)));
  await deps.digests.markSent(data.slot);
  deps.logger.info({ slot: data.slot }, 'digest card sent to Teams');
  return true;
}

/**
 * Runs `send`; when Teams refuses the card itself (400, 413), logs it and goes on: sending it again
 * would fail the same way and hold back the changes after it.
 */
export async function skipRefusedCard(logger: Logger, event: AlertEvent, send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!(error instanceof TeamsDeliveryError) || error.retryable || !cardRefused(error)) throw error;
    logger.error({ alert: event.state.id, version: event.version, kind: event.kind, err: error }, 'Teams refused the alert card; skipping it');
  }
}

/** 400 and 413 are about the card, not the webhook or the channel. */
function cardRefused(error: TeamsDeliveryError): boolean {
  return error.status === 400 || error.status === 413;
}

/**
 * A 4xx other than 408 and 429 that is about the webhook or the bot's channel (401, 403, 404, 410: a
 * workflow deleted or its URL wrong, the bot removed from the team, a channel deleted) needs a
 * person; `http_<status>` then, `undefined` for anything a retry may fix.
 */
export function teamsRefusal(error: unknown): string | undefined {
  if (!(error instanceof TeamsDeliveryError) || error.status === null || error.retryable) return undefined;
  return error.status >= 400 && error.status < 500 && !cardRefused(error) ? `http_${error.status}` : undefined;
}
