/** The Notifier port: where alert messages go (Slack, the Teams bot's channel), in the neutral message model. */
import type { MessageRef } from '../alerts/delivery-records.js';
import type { Message } from '../message/model.js';

/** A posted message, to edit it and reply in its thread (as its destination's records keep it). */
export type { MessageRef } from '../alerts/delivery-records.js';

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
