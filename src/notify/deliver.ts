/**
 * Slack as a destination of the delivery pipeline: the first firing posts the message, every later
 * change edits it and adds a thread line. Each step is recorded in Redis as it succeeds, so a
 * retried job resumes where it stopped instead of posting twice. Any destination that edits its
 * message in place is delivered the same way (`deliverEditedEvent`), over its own outbox.
 */
import { alertMessage, threadLine, type AlertMessageOptions } from '../alerts/message.js';
import type { AlertOutbox, DeliveryStep, MessageRef } from '../alerts/outbox.js';
import type { AlertEvent } from '../alerts/types.js';
import type { Logger } from '../lib/logger.js';
import type { HeldLock } from '../lib/redis-lock.js';
import type { Notifier } from './notifier.js';
import { deliverPending, type Destination } from './pipeline.js';
import { slackRefusal } from './slack-refusal.js';

export interface DeliverDeps {
  /** Slack's outbox in the alert store (`store.outbox(SLACK_DESTINATION)`). */
  outbox: AlertOutbox;
  notifier: Notifier;
  message: AlertMessageOptions;
  logger: Logger;
  /** How long the per-alert lock outlives a holder that died; a live holder keeps renewing it. */
  lockMs?: number;
}

/** Slack as a pipeline destination: its outbox, lock and step records. */
export function slackDestination(deps: DeliverDeps): Destination {
  return editedDestination(deps, slackRefusal);
}

/**
 * A destination that edits its message in place (Slack, the Teams bot's channel) over its outbox:
 * `refusal` says which of its errors need a person; `around`, when given, runs each change's
 * delivery (the bot's skips a card Teams refuses).
 */
export function editedDestination(deps: Omit<DeliverDeps, 'logger' | 'lockMs'>, refusal: Destination['refusal'], around?: (event: AlertEvent, send: () => Promise<void>) => Promise<void>): Destination {
  const { outbox } = deps;
  const send = (event: AlertEvent, lock: HeldLock) => deliverEditedEvent({ records: outbox, notifier: deps.notifier, message: deps.message }, event, lock);
  return {
    name: outbox.destination,
    lock: (id, ttlMs) => outbox.lock(id, ttlMs),
    next: (id) => outbox.next(id),
    send: around ? (event, lock) => around(event, () => send(event, lock)) : send,
    delivered: (id, version) => outbox.delivered(id, version),
    refusal,
  };
}

/** Delivers every pending event of one alert to Slack, oldest first; returns how many went out. */
export async function deliverAlert(deps: DeliverDeps, id: string): Promise<number> {
  return deliverPending(slackDestination(deps), id, { logger: deps.logger, ...(deps.lockMs ? { lockMs: deps.lockMs } : {}) });
}

/** Where a destination that edits its messages keeps each episode's message and the steps done (its outbox). */
export interface DeliveryRecords {
  messageRef(alertId: string, episode: number): Promise<MessageRef | null>;
  recordPost(alertId: string, episode: number, version: number, ref: MessageRef): Promise<void>;
  stepDone(alertId: string, version: number, step: DeliveryStep): Promise<boolean>;
  markStepDone(alertId: string, version: number, step: DeliveryStep): Promise<void>;
}

/** What one event's delivery to a destination that edits its message in place needs. */
export interface EditedDelivery {
  records: DeliveryRecords;
  notifier: Notifier;
  message: AlertMessageOptions;
}

/**
 * One event's calls to a destination that edits its message, each skipped if recorded done and
 * recorded as soon as it succeeds: the first event of an episode posts the message; a later one
 * edits it, then replies in its thread.
 */
export async function deliverEditedEvent(deps: EditedDelivery, event: AlertEvent, lock: HeldLock): Promise<void> {
  const { records, notifier } = deps;
  const { id, episode } = event.state;
  const { signal } = lock;
  const tag = { alertId: id, version: event.version, kind: event.kind };
  const message = alertMessage(event.state, deps.message);
  let ref = await records.messageRef(id, episode);
  if (!ref) {
    // The first event of an episode (or one whose message was never posted) posts it.
    lock.assertHeld();
    ref = await notifier.post(message, tag, signal);
    await records.recordPost(id, episode, event.version, ref);
    if (event.kind === 'fired') return;
  } else if (!(await records.stepDone(id, event.version, 'main'))) {
    lock.assertHeld();
    await notifier.update(ref, message, tag, signal);
    await records.markStepDone(id, event.version, 'main');
  }
  if (event.kind === 'fired' || (await records.stepDone(id, event.version, 'reply'))) return;
  lock.assertHeld();
  const line = threadLine(event);
  await notifier.reply(ref, { summary: line, blocks: [{ kind: 'text', text: line }] }, tag, signal);
  await records.markStepDone(id, event.version, 'reply');
}
