/** `s3-chatops alerts evaluate [--post]`: one evaluation now; prints what it would post, or posts it. */
import type { Redis } from 'ioredis';
import { evaluateChunk } from '../alerts/evaluate.js';
import { alertMessage, type AlertMessageOptions } from '../alerts/message.js';
import { planChunks } from '../alerts/plan.js';
import { bucketRules } from '../alerts/rules/index.js';
import { AlertStore } from '../alerts/store.js';
import { alertId, type AlertEvent } from '../alerts/types.js';
import type { AwsPorts } from '../aws/ports.js';
import type { Config } from '../config/load.js';
import { UserFacingError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { deliverAlert } from '../notify/deliver.js';
import { alertDestinations, botAlertsOn, SLACK_DESTINATION, TEAMS_BOT_DESTINATION, TEAMS_WEBHOOK_DESTINATION } from '../notify/destinations.js';
import type { Notifier } from '../notify/notifier.js';
import { pacedSlack } from '../notify/paced.js';
import { SlackNotifier } from '../notify/slack.js';
import type { CliTeamsAlerts, TeamsRetryPolicy } from '../notify/teams-now.js';
import { alertFindingLine } from '../message/alert-wording.js';
import type { Message } from '../message/model.js';
import { escapeTerminal, renderInlineText } from '../render/text/index.js';
import { bucketLabel } from '../reports/types.js';

import { parseCliArgs } from './args.js';

export interface AlertsCliDeps {
  config: Config;
  aws: AwsPorts;
  /** Redis for alert state; required with `--post`, optional for a preview. */
  redis?: Redis;
  logger: Logger;
  now: () => Date;
  write: (text: string) => void;
  render: (message: Message) => string;
  notifier?: Notifier;
  /** Where the alert state, the Teams outbox and the Teams queue live; the worker's defaults unless a test isolates them. */
  keyPrefix?: string;
  queuePrefix?: string;
  /** The Teams webhook's fetch and retry policy, for tests. */
  teamsFetch?: typeof fetch;
  teamsRetry?: TeamsRetryPolicy;
}

/** Parses `alerts …` arguments: `{ post }`, or the problem with them. */
export function parseAlertsArgs(rest: readonly string[]): { post: boolean } | { problem: string } {
  const parsed = parseCliArgs('alerts evaluate', rest, { post: { type: 'boolean' } }, true);
  if ('problem' in parsed) return parsed;
  const { values, positionals } = parsed;
  if (positionals[0] !== 'evaluate' || positionals.length > 1) return { problem: '`alerts` takes the subcommand `evaluate`' };
  return { post: values.post === true };
}

/** Runs one evaluation over every bucket; with `post`, commits state and delivers the changes. Returns the number of alerts firing. */
export async function runAlertsEvaluate(deps: AlertsCliDeps, post: boolean): Promise<number> {
  const { config, logger } = deps;
  const now = deps.now();
  // A run's slot is its own moment, to the millisecond: two runs a second apart are two evaluations,
  // not one applied twice. (A worker's slots are its ticks' minutes, so it never takes this one's.)
  const slot = now.toISOString();
  const store = new AlertStore(deps.redis ?? unreachableRedis(), { destinations: alertDestinations(config), ...(deps.keyPrefix ? { keyPrefix: deps.keyPrefix } : {}) });
  const labels = new Map(config.buckets.map((b) => [b.name, bucketLabel(b)]));
  // Each bucket's own region for its console links: configured, or found when its metrics were read.
  const regions = new Map<string, string>();
  const messageOptions = { region: config.region, regionOf: (name: string) => regions.get(name), label: (name: string) => labels.get(name) ?? name };
  const learnRegions = async () => {
    const placement = deps.aws.placement;
    if (!placement) return;
    await Promise.all(config.buckets.map((b) => placement.placeOf(b.name).then((p) => regions.set(b.name, p.region), () => undefined)));
  };
  const events: AlertEvent[] = [];
  let firing = 0;
  const chunks = planChunks(config, bucketRules());
  for (const [chunk, buckets] of chunks.entries()) {
    const result = await evaluateChunk({ config, aws: deps.aws, store, logger }, { chunk, slot, at: now.toISOString(), buckets, fleet: chunk === 0 }, { commit: post });
    events.push(...result.events);
    await learnRegions();
    if (post && result.outcome === 'seen') {
      deps.write(`${buckets.length === 1 ? 'this bucket was' : `these ${buckets.length} buckets were`} evaluated by another run for this moment or a later one (a worker's tick); nothing of theirs was recorded or posted here\n`);
    }
    for (const { rule, bucket, verdict } of result.verdicts) {
      if (verdict.status === 'firing') firing += 1;
      const where = bucket === '*' ? 'all buckets' : messageOptions.label(bucket);
      deps.write(`${verdict.status.padEnd(7)} ${escapeTerminal(rule)} on ${escapeTerminal(where)}: ${renderInlineText(alertFindingLine(verdict.finding))}\n`);
      if (!post && verdict.status === 'firing') {
        const preview = alertMessage(
          { id: alertId({ rule, bucket }), rule, bucket, severity: 'critical', status: 'firing', version: 1, episode: 1, since: (verdict.breachingSince ?? now).toISOString(), resolvedAt: null, lastNotifiedAt: null, snoozedUntil: null, snoozedBy: null, acknowledgedBy: null, acknowledgedAt: null, value: verdict.value, threshold: verdict.threshold, finding: verdict.finding, recent: verdict.recent, lastSlot: slot, updatedAt: now.toISOString() },
          messageOptions,
        );
        deps.write(deps.render(preview));
      }
    }
  }
  if (!post) {
    deps.write('\n(preview: nothing was posted or recorded; add --post to post changes to the alert channel)\n');
    return firing;
  }
  // Paced with the workers' own Slack calls to the channel, through the same Redis.
  const notifier = deps.notifier ?? pacedSlack(slackNotifier(config), deps.redis ?? unreachableRedis(), config.channels.alerts, config.alerts.messagesPerSecond, deps.keyPrefix);
  const ids = [...new Set(events.map((e) => e.state.id))];
  const teams = await openTeams(deps, store, messageOptions);
  try {
    // The changes are in Teams' outbox since their commit; their jobs go on the Teams queue before Slack's step, as the worker queues them.
    await teams?.queue(events);
    for (const id of ids) await deliverAlert({ outbox: store.outbox(SLACK_DESTINATION), notifier, message: messageOptions, logger }, id);
    deps.write(`\n${events.length} change${events.length === 1 ? '' : 's'} posted to ${config.channels.alerts}\n`);
    if (teams && botAlertsOn(config)) deps.write(`${events.length} change${events.length === 1 ? '' : 's'} queued for the Teams channel ${config.teams.alertChannel}; a worker posts them as the bot\n`);
    if (!teams?.send) return firing;
    const outcome = await teams.send(ids);
    deps.write(`${outcome.sent} card${outcome.sent === 1 ? '' : 's'} posted to Teams\n`);
    if (outcome.left.length > 0) {
      // Slack has them; exiting non-zero tells a script that Teams does not, yet.
      throw new UserFacingError(
        'internal',
        `the cards of ${outcome.left.length} alert${outcome.left.length === 1 ? '' : 's'} did not reach Teams (${outcome.problem}); they wait on the Teams queue, and a worker with TEAMS_WEBHOOK_URL set sends them when Teams takes them`,
      );
    }
    return firing;
  } finally {
    await teams?.close();
  }
}

/**
 * The Teams side of `--post`, when TEAMS_WEBHOOK_URL or the bot's alert channel is set; loaded only
 * then, so Slack-only use never loads it. The webhook's cards are posted now; the bot's jobs are
 * queued for a worker, which holds the bot's connection to Teams.
 */
async function openTeams(deps: AlertsCliDeps, store: AlertStore, message: AlertMessageOptions): Promise<(Pick<CliTeamsAlerts, 'queue' | 'close'> & { send?: CliTeamsAlerts['send'] }) | undefined> {
  const url = deps.config.env.TEAMS_WEBHOOK_URL;
  const bot = botAlertsOn(deps.config);
  if ((!url && !bot) || !deps.redis) return undefined;
  const botOutbox = bot ? store.outbox(TEAMS_BOT_DESTINATION) : undefined;
  if (!url) {
    const { openTeamsFeed } = await import('../notify/teams-feed.js');
    const { feed, close } = openTeamsFeed({ connection: deps.redis, botOutbox, logger: deps.logger, ...(deps.queuePrefix ? { queuePrefix: deps.queuePrefix } : {}) });
    return { queue: (events) => feed.alertEvents(events), close };
  }
  const { cliTeamsAlerts } = await import('../notify/teams-now.js');
  return cliTeamsAlerts({
    url,
    redis: deps.redis,
    outbox: store.outbox(TEAMS_WEBHOOK_DESTINATION),
    botOutbox,
    message,
    logger: deps.logger,
    ...(deps.queuePrefix ? { queuePrefix: deps.queuePrefix } : {}),
    ...(deps.teamsFetch ? { fetch: deps.teamsFetch } : {}),
    ...(deps.teamsRetry ? { retry: deps.teamsRetry } : {}),
  });
}

function slackNotifier(config: Config): Notifier {
  if (!config.slack.botToken || !config.channels.alerts) throw new Error('--post needs SLACK_BOT_TOKEN and channels.alerts');
  // A person waits at the terminal: the interactive policy's few retries, not a job's schedule.
  return new SlackNotifier({ token: config.slack.botToken, channel: config.channels.alerts, purpose: 'interactive', ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}) });
}

/** A stand-in whose every command fails: a preview then fetches everything afresh and records nothing. */
function unreachableRedis(): Redis {
  const fail = () => Promise.reject(new Error('no Redis'));
  return new Proxy({}, { get: () => fail }) as Redis;
}
