/**
 * The chat destinations alert changes go to, by name: each name is one outbox in the alert store
 * (`alerts/outbox.ts`) and one `Destination` of the delivery pipeline. Every process that commits
 * alert changes (worker, bot, command line) derives the same list from the same configuration.
 */
import type { Config, TeamsBotSettings } from '../config/load.js';

/** Slack's alert channel: always a destination. */
export const SLACK_DESTINATION = 'slack';
/** The Teams Workflows webhook, when `TEAMS_WEBHOOK_URL` is set. */
export const TEAMS_WEBHOOK_DESTINATION = 'teams';
/** The Teams bot's alert channel, when `teams.alertChannel` is set (with the bot's identity). */
export const TEAMS_BOT_DESTINATION = 'teams-bot';

/** Where the bot posts alerts: its identity, the channel and the Bot Connector; `undefined` unless both the channel and the identity are set. */
export function botAlertTarget(config: Pick<Config, 'teams' | 'teamsBot'>): { settings: TeamsBotSettings; channel: string; serviceUrl: string } | undefined {
  const { teamsBot: settings, teams } = config;
  return settings && teams.alertChannel ? { settings, channel: teams.alertChannel, serviceUrl: teams.serviceUrl } : undefined;
}

/** Whether alert changes go to the bot's alert channel: the channel is set and the bot has its identity. */
export function botAlertsOn(config: Pick<Config, 'teams' | 'teamsBot'>): boolean {
  return botAlertTarget(config) !== undefined;
}

/** The destinations of this configuration, whose outboxes every committed change is added to. */
export function alertDestinations(config: Pick<Config, 'env' | 'teams' | 'teamsBot'>): string[] {
  return [SLACK_DESTINATION, ...(config.env.TEAMS_WEBHOOK_URL ? [TEAMS_WEBHOOK_DESTINATION] : []), ...(botAlertsOn(config) ? [TEAMS_BOT_DESTINATION] : [])];
}
