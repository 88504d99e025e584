/**
 * What a destination that edits its alert message in place (Slack, the Teams bot's channel) keeps
 * in Redis besides its outbox: the message of each episode, and each change's calls (steps) done,
 * so a retried delivery resumes where it stopped instead of posting twice. Two hashes per alert,
 * under keys its outbox names.
 */
import type { Redis } from 'ioredis';

/** Where a delivered alert message lives, to edit it and reply in its thread. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * The calls one event's delivery makes, each recorded once it went out: `main` posts or edits the
 * alert message, `reply` adds its thread line.
 */
export type DeliveryStep = 'main' | 'reply';
export const DELIVERY_STEPS: readonly DeliveryStep[] = ['main', 'reply'];

/** The delivery hash field of a step; `main` keeps the bare version, as first recorded. */
export function deliveryStepField(version: number, step: DeliveryStep): string {
  return step === 'main' ? String(version) : `${version}:${step}`;
}

/** Each episode's message and the steps done, for a destination that edits its messages. */
export interface DeliveryRecords {
  messageRef(alertId: string, episode: number): Promise<MessageRef | null>;
  recordPost(alertId: string, episode: number, version: number, ref: MessageRef): Promise<void>;
  stepDone(alertId: string, version: number, step: DeliveryStep): Promise<boolean>;
  markStepDone(alertId: string, version: number, step: DeliveryStep): Promise<void>;
}

/** The records in two Redis hashes per alert: `messagesKey(id)` (episode → message) and `stepsKey(id)` (step field → 1). */
export class RedisDeliveryRecords implements DeliveryRecords {
  constructor(
    private readonly redis: Redis,
    private readonly messagesKey: (alertId: string) => string,
    private readonly stepsKey: (alertId: string) => string,
  ) {}

  /** The message of an alert episode, once posted. */
  async messageRef(alertId: string, episode: number): Promise<MessageRef | null> {
    const raw = await this.redis.hget(this.messagesKey(alertId), String(episode));
    return raw === null ? null : (JSON.parse(raw) as MessageRef);
  }

  /** Records an episode's first post: its message and the event's main step, in one transaction. */
  async recordPost(alertId: string, episode: number, version: number, ref: MessageRef): Promise<void> {
    await this.redis
      .multi()
      .hset(this.messagesKey(alertId), String(episode), JSON.stringify(ref))
      .hset(this.stepsKey(alertId), deliveryStepField(version, 'main'), '1')
      .exec();
  }

  /** Whether a step of an event's delivery went out, so a retried delivery does not repeat it. */
  async stepDone(alertId: string, version: number, step: DeliveryStep): Promise<boolean> {
    return (await this.redis.hexists(this.stepsKey(alertId), deliveryStepField(version, step))) === 1;
  }

  async markStepDone(alertId: string, version: number, step: DeliveryStep): Promise<void> {
    await this.redis.hset(this.stepsKey(alertId), deliveryStepField(version, step), '1');
  }
}
