/** A Notifier that only logs: used when no alert channel or bot token is configured, so events are never stuck. */
import type { Logger } from '../lib/logger.js';
import type { Message } from '../message/model.js';
import type { DeliveryTag, MessageRef, Notifier } from './notifier.js';

export class LogNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}

  async post(message: Message, tag: DeliveryTag): Promise<MessageRef> {
    this.logger.warn({ ...tag, summary: message.summary }, 'alert not posted: no alert channel (channels.alerts) or SLACK_BOT_TOKEN configured');
    return { channel: 'log', ts: `${tag.alertId}:${tag.version}` };
  }

  async update(_ref: MessageRef, message: Message, tag: DeliveryTag): Promise<void> {
    this.logger.warn({ ...tag, summary: message.summary }, 'alert change not posted: no alert channel configured');
  }

  async reply(): Promise<void> {}
}
