/** The alert notifier of a process: Slack, paced per channel across workers, or a log line per alert without Slack. */
import type { Redis } from 'ioredis';
import type { Config } from '../config/load.js';
import type { Logger } from '../lib/logger.js';
import { LogNotifier } from './log.js';
import type { Notifier } from './notifier.js';
import { pacedSlack } from './paced.js';
import { SlackNotifier, type SlackNotifierOptions } from './slack.js';

export interface AlertNotifierOptions {
  logger: Logger;
  /** Where the channel's pace is kept, shared by every worker and `alerts evaluate --post`. */
  redis: Redis;
  keyPrefix?: string;
  /** The Slack client's fetch (`countingSlackFetch` for the metrics). */
  fetch?: SlackNotifierOptions['fetch'];
}

/** Slack when a token and an alert channel are configured, each call paced per channel; otherwise a log line per alert. */
export function alertNotifier(config: Config, options: AlertNotifierOptions): Notifier {
  if (!config.slack.botToken || !config.channels.alerts) {
    options.logger.warn('no SLACK_BOT_TOKEN or channels.alerts: alerts are evaluated and logged, not posted');
    return new LogNotifier(options.logger);
  }
  const slack = new SlackNotifier({
    token: config.slack.botToken,
    channel: config.channels.alerts,
    ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return pacedSlack(slack, options.redis, config.channels.alerts, config.alerts.messagesPerSecond, options.keyPrefix);
}
