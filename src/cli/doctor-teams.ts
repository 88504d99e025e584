/** `doctor`'s line for the Teams bot: whether it is on, as whom, where it posts alerts, and who may confirm a cleanup from it. */
import type { Config } from '../config/load.js';
import type { CheckResult } from './doctor-features.js';

/** Reads the settings only: the bot's token check runs against Entra when Teams sends an activity. */
export function checkTeamsBot(config: Config | undefined): CheckResult {
  if (!config) return { name: 'teams bot', status: 'skip', detail: 'not checked until the configuration loads' };
  const bot = config.teamsBot;
  if (!bot) return { name: 'teams bot', status: 'skip', detail: 'TEAMS_APP_ID is not set: the bot does not answer in Teams (alerts can still go there through TEAMS_WEBHOOK_URL)' };
  const credential = bot.password ? 'a client secret' : 'a certificate';
  const people = config.teams.allowedUsers.length;
  const cleanup = people === 0 ? 'no one may confirm a cleanup from Teams (teams.allowedUsers is empty)' : `${people} ${people === 1 ? 'person' : 'people'} may confirm a cleanup`;
  const audit = config.teams.auditChannel ? 'audited to teams.auditChannel' : 'not audited in Teams (teams.auditChannel is not set)';
  const alerts = config.teams.alertChannel
    ? `alerts are posted to ${config.teams.alertChannel} through ${config.teams.serviceUrl} and edited in place as they change`
    : 'alerts are not posted by the bot (teams.alertChannel is not set)';
  return { name: 'teams bot', status: 'ok', detail: `app ${bot.appId} in tenant ${bot.tenantId} with ${credential}, answering at POST /api/messages; ${alerts}; ${cleanup}, ${audit}` };
}
