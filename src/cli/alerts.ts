/** `s3-chatops alerts evaluate [--post]`: one evaluation now; prints what it would post, or posts it. */
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { evaluateChunk } from '../alerts/evaluate.js';
import { alertMessage } from '../alerts/message.js';
import { planChunks } from '../alerts/plan.js';
import { bucketRules } from '../alerts/rules/index.js';
import { AlertStore } from '../alerts/store.js';
import { alertId, type AlertEvent } from '../alerts/types.js';
import type { AwsPorts } from '../aws/ports.js';
import type { Config } from '../config/load.js';
import type { Logger } from '../lib/logger.js';
import { deliverAlert } from '../notify/deliver.js';
import type { Notifier } from '../notify/notifier.js';
import { SlackNotifier } from '../notify/slack.js';
import type { Message } from '../render/model.js';
import { bucketLabel } from '../reports/types.js';

export const ALERTS_USAGE = ['alerts evaluate [--post]'];

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
}

/** Parses `alerts …` arguments: `{ post }`, or the problem with them. */
export function parseAlertsArgs(rest: readonly string[]): { post: boolean } | { problem: string } {
  try {
    const { values, positionals } = parseArgs({ args: [...rest], options: { post: { type: 'boolean' } }, strict: true, allowPositionals: true });
    if (positionals[0] !== 'evaluate' || positionals.length > 1) return { problem: '`alerts` takes the subcommand `evaluate`' };
    return { post: values.post === true };
  } catch (error) {
    return { problem: (error as Error).message.split('\n')[0]! };
  }
}

/** Runs one evaluation over every bucket; with `post`, commits state and delivers the changes. Returns the number of alerts firing. */
export async function runAlertsEvaluate(deps: AlertsCliDeps, post: boolean): Promise<number> {
  const { config, logger } = deps;
  const now = deps.now();
  const slot = new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString();
  const store = new AlertStore(deps.redis ?? unreachableRedis());
  const labels = new Map(config.buckets.map((b) => [b.name, bucketLabel(b)]));
  const messageOptions = { region: config.region, label: (name: string) => labels.get(name) ?? name };
  const events: AlertEvent[] = [];
  let firing = 0;
  const chunks = planChunks(config, bucketRules());
  for (const [chunk, buckets] of chunks.entries()) {
    const result = await evaluateChunk({ config, aws: deps.aws, store, logger }, { chunk, slot, at: now.toISOString(), buckets, fleet: chunk === 0 }, { commit: post });
    events.push(...result.events);
    for (const { rule, bucket, verdict } of result.verdicts) {
      if (verdict.status === 'firing') firing += 1;
      const where = bucket === '*' ? 'all buckets' : messageOptions.label(bucket);
      deps.write(`${verdict.status.padEnd(7)} ${rule} on ${where}: ${stripMarkup(verdict.text)}\n`);
      if (!post && verdict.status === 'firing') {
        const preview = alertMessage(
          { id: alertId({ rule, bucket }), rule, bucket, severity: 'critical', status: 'firing', version: 1, episode: 1, since: (verdict.breachingSince ?? now).toISOString(), resolvedAt: null, lastNotifiedAt: null, snoozedUntil: null, snoozedBy: null, acknowledgedBy: null, acknowledgedAt: null, value: verdict.value, threshold: verdict.threshold, text: verdict.text, recent: verdict.recent, lastSlot: slot, updatedAt: now.toISOString() },
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
  const notifier = deps.notifier ?? slackNotifier(config);
  const ids = [...new Set(events.map((e) => e.state.id))];
  for (const id of ids) await deliverAlert({ store, notifier, message: messageOptions, logger }, id);
  deps.write(`\n${events.length} change${events.length === 1 ? '' : 's'} posted to ${config.channels.alerts}\n`);
  return firing;
}

function slackNotifier(config: Config): Notifier {
  if (!config.slack.botToken || !config.channels.alerts) throw new Error('--post needs SLACK_BOT_TOKEN and channels.alerts');
  return new SlackNotifier({ token: config.slack.botToken, channel: config.channels.alerts, ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}) });
}

function stripMarkup(text: string): string {
  return text.replace(/\*\*/g, '');
}

/** A stand-in whose every command fails: a preview then fetches everything afresh and records nothing. */
function unreachableRedis(): Redis {
  const fail = () => Promise.reject(new Error('no Redis'));
  return new Proxy({}, { get: () => fail }) as Redis;
}
