/**
 * The chat destinations alert changes go to, by name: each name is one outbox in the alert store
 * (`alerts/outbox.ts`) and one `Destination` of the delivery pipeline. Every process that commits
 * alert changes (worker, bot, command line) derives the same list from the same configuration.
 */
import type { Config } from '../config/load.js';

/** Slack's alert channel: always a destination. */
export const SLACK_DESTINATION = 'slack';
/** The Teams Workflows webhook, when `TEAMS_WEBHOOK_URL` is set. */
export const TEAMS_WEBHOOK_DESTINATION = 'teams';

/** The destinations of this configuration, whose outboxes every committed change is added to. */
export function alertDestinations(config: Pick<Config, 'env'>): string[] {
  return [SLACK_DESTINATION, ...(config.env.TEAMS_WEBHOOK_URL ? [TEAMS_WEBHOOK_DESTINATION] : [])];
}
