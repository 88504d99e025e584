/** The Notifier port: where alert messages go (Slack now, Teams later), in the neutral message model. */
import type { Message } from '../message/model.js';

/** A posted message, to edit it and reply in its thread. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/** What a delivery is about, carried along so a surface can tag its messages (Slack message metadata). */
export interface DeliveryTag {
  alertId: string;
  version: number;
  kind: string;
}

/**
 * Posts, edits and threads alert messages. Each call either succeeds or throws (and is retried by
 * its job). `signal` aborts when the caller may no longer send (it lost the alert's lock): a call
 * not yet sent is not sent, and its retries stop.
 */
export interface Notifier {
  post(message: Message, tag: DeliveryTag, signal?: AbortSignal): Promise<MessageRef>;
  update(ref: MessageRef, message: Message, tag: DeliveryTag, signal?: AbortSignal): Promise<void>;
  reply(ref: MessageRef, message: Message, tag: DeliveryTag, signal?: AbortSignal): Promise<void>;
}
