/**
 * The Teams bot's alert channel as a destination of the delivery pipeline: the first change of an
 * episode posts the alert card as the bot's own message, every later change edits that card in
 * place and adds a line in its thread, as on Slack. Its outbox, lock and step records are its own
 * (`teams-bot` keys), so neither Slack nor the webhook waits for it, nor it for them.
 */
import type { AlertMessageOptions } from '../alerts/message.js';
import type { Logger } from '../lib/logger.js';
import { deliverEditedEvent } from './deliver.js';
import type { Notifier } from './notifier.js';
import { deliverPending, type Destination } from './pipeline.js';
import { skipRefusedCard, teamsRefusal } from './teams-delivery.js';
import type { TeamsOutbox } from './teams-outbox.js';

/** The bot's outbox keys (`<prefix>teams-bot:…`) and its name in logs and metrics. */
export const TEAMS_BOT_DESTINATION = 'teams-bot';
/** The job that delivers one alert's pending changes to the bot's channel (on the Teams queue). */
export const TEAMS_BOT_ALERT_JOB = 'teams-bot-alert';

export interface TeamsBotDeliveryDeps {
  outbox: TeamsOutbox;
  /** Posts, edits and threads the cards as the bot, each call paced across workers. */
  notifier: Notifier;
  message: AlertMessageOptions;
  logger: Logger;
  /** How long the per-alert lock outlives a holder that died; a live holder keeps renewing it. */
  lockMs?: number;
}

/** The bot's alert channel as a pipeline destination. */
export function teamsBotDestination(deps: TeamsBotDeliveryDeps): Destination {
  const { outbox } = deps;
  return {
    name: TEAMS_BOT_DESTINATION,
    lock: (id, ttlMs) => outbox.lock(id, ttlMs),
    next: (id) => outbox.next(id),
    send: (event, lock) => skipRefusedCard(deps.logger, event, () => deliverEditedEvent({ records: outbox.records, notifier: deps.notifier, message: deps.message }, event, lock)),
    delivered: (id, version) => outbox.markSent(id, version),
    refusal: teamsRefusal,
  };
}

/** Delivers every pending change of one alert to the bot's channel, oldest first; returns how many went out. */
export async function deliverTeamsBotAlert(deps: TeamsBotDeliveryDeps, alertId: string): Promise<number> {
  return deliverPending(teamsBotDestination(deps), alertId, { logger: deps.logger, ...(deps.lockMs ? { lockMs: deps.lockMs } : {}) });
}
