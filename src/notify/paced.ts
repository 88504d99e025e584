/**
 * A Notifier that waits for the channel's pace before every Slack call: one alert change can be an
 * edit and a thread line, and Slack's limit (about one message a second per channel) counts each.
 */
import type { Redis } from 'ioredis';
import { RedisPacer } from '../lib/redis-pacer.js';
import { retryAfterMs } from './delivery-schedule.js';
import type { Message } from '../render/model.js';
import type { DeliveryTag, MessageRef, Notifier } from './notifier.js';
import { SlackNotifier } from './slack.js';

/** What the calls wait for: a slot of the destination's rate (a `RedisPacer`, shared by every worker). */
export interface Pace {
  wait(signal?: AbortSignal): Promise<void>;
  /** No slot for anyone for `ms`: the destination answered 429 with a Retry-After. */
  holdFor?(ms: number): Promise<void>;
}

/**
 * Runs `send` in a slot of `pace`; a 429's Retry-After holds the pace for every worker, so the
 * throttled destination hears nothing until it asked to (the job itself waits, see `delivery-job`).
 */
export async function inPace<T>(pace: Pace | undefined, signal: AbortSignal | undefined, send: () => Promise<T>): Promise<T> {
  await pace?.wait(signal);
  try {
    return await send();
  } catch (error) {
    const waitMs = retryAfterMs(error);
    if (waitMs !== undefined) await pace?.holdFor?.(waitMs).catch(() => undefined);
    throw error;
  }
}

/** Wraps a Notifier so each of its calls takes one slot of `pace` first. */
export class PacedNotifier implements Notifier {
  constructor(
    private readonly inner: Notifier,
    private readonly pace: Pace,
  ) {}

  post(message: Message, tag: DeliveryTag, signal?: AbortSignal): Promise<MessageRef> {
    return inPace(this.pace, signal, () => this.inner.post(message, tag, signal));
  }

  update(ref: MessageRef, message: Message, tag: DeliveryTag, signal?: AbortSignal): Promise<void> {
    return inPace(this.pace, signal, () => this.inner.update(ref, message, tag, signal));
  }

  reply(ref: MessageRef, message: Message, tag: DeliveryTag, signal?: AbortSignal): Promise<void> {
    return inPace(this.pace, signal, () => this.inner.reply(ref, message, tag, signal));
  }
}

/**
 * A Slack notifier's calls paced at `messagesPerSecond` for `channel`, across every process on the
 * same Redis: the workers and `alerts evaluate --post` share one pace. Any other notifier (the
 * log notifier, a test's) is returned as it is.
 */
export function pacedSlack(notifier: Notifier, redis: Redis, channel: string | undefined, messagesPerSecond: number, keyPrefix = 's3-chatops:'): Notifier {
  if (!(notifier instanceof SlackNotifier) || !channel) return notifier;
  return new PacedNotifier(notifier, new RedisPacer(redis, `${keyPrefix}pace:slack:${channel}`, messagesPerSecond));
}
