/** The Teams bot as a Notifier: alert cards posted to a channel as the bot's own messages, edited in place, threaded. */
import type { Message } from '../message/model.js';
import type { DeliveryTag, MessageRef, Notifier } from '../notify/notifier.js';
import type { TeamsConversation, TeamsProactive } from './proactive.js';
import { cardActivity } from './reply.js';

/** Posts alert cards (interactive: Snooze and Acknowledge are Universal Actions the bot answers) to one channel. */
export class TeamsChannelNotifier implements Notifier {
  constructor(
    private readonly proactive: Pick<TeamsProactive, 'send' | 'update' | 'reply'>,
    private readonly channel: TeamsConversation,
  ) {}

  async post(message: Message, _tag: DeliveryTag, signal?: AbortSignal): Promise<MessageRef> {
    const id = await this.proactive.send(this.channel, cardActivity(message), signal);
    return { channel: this.channel.conversationId, ts: id };
  }

  async update(ref: MessageRef, message: Message, _tag: DeliveryTag, signal?: AbortSignal): Promise<void> {
    await this.proactive.update(this.where(ref), ref.ts, cardActivity(message), signal);
  }

  async reply(ref: MessageRef, message: Message, _tag: DeliveryTag, signal?: AbortSignal): Promise<void> {
    await this.proactive.reply(this.where(ref), ref.ts, cardActivity(message), signal);
  }

  /** The conversation a recorded message is in: the one it was posted to, even if the channel setting changed since. */
  private where(ref: MessageRef): TeamsConversation {
    return { ...this.channel, conversationId: ref.channel };
  }
}
