/**
 * The Teams bot's alert channel as a destination of the delivery pipeline: the first change of an
 * episode posts the alert card as the bot's own message, every later change edits that card in
 * place and adds a line in its thread, as on Slack (the same steps, `deliverEditedEvent`). Its
 * outbox, lock and step records are its own (the `teams-bot` outbox of the alert store), so
 * neither Slack nor the webhook waits for it, nor it for them.
 */
import { editedDestination, type DeliverDeps } from './deliver.js';
import { deliverPending, type Destination } from './pipeline.js';
import { skipRefusedCard, teamsRefusal } from './teams-delivery.js';

/** The job that delivers one alert's pending changes to the bot's channel (on the Teams queue). */
export const TEAMS_BOT_ALERT_JOB = 'teams-bot-alert';

/** What the bot's channel is delivered with: its outbox (`store.outbox(TEAMS_BOT_DESTINATION)`) and a notifier posting as the bot, each call paced across workers. */
export type TeamsBotDeliveryDeps = DeliverDeps;

/** The bot's alert channel as a pipeline destination: a 401/403/404 needs a person; a card Teams refuses (400, 413) is skipped. */
export function teamsBotDestination(deps: TeamsBotDeliveryDeps): Destination {
  return editedDestination(deps, teamsRefusal, (event, send) => skipRefusedCard(deps.logger, event, send));
}

/** Delivers every pending change of one alert to the bot's channel, oldest first; returns how many went out. */
export async function deliverTeamsBotAlert(deps: TeamsBotDeliveryDeps, alertId: string): Promise<number> {
  return deliverPending(teamsBotDestination(deps), alertId, { logger: deps.logger, ...(deps.lockMs ? { lockMs: deps.lockMs } : {}) });
}
