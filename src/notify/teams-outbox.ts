/**
 * Alert changes waiting to go to one Teams destination (the webhook, or the bot's channel), per
 * alert, in Redis. Kept apart from Slack's outbox and from each other's so each destination
 * advances on its own: a Teams outage never holds a Slack message back. An event is added at most
 * once (by version), sent in version order, and marked sent once it went out. A destination that
 * edits its message in place (the bot) also keeps the message of each episode and the steps done.
 */
import type { Redis } from 'ioredis';
import { DELIVERY_STEPS, deliveryStepField, RedisDeliveryRecords } from '../alerts/delivery-records.js';
import type { AlertEvent } from '../alerts/types.js';
import { acquireLock, type HeldLock } from '../lib/redis-lock.js';

// KEYS: sent set, events hash, pending zset, alerts-with-pending set. ARGV: version, event json, id.
const ADD = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[3])
return 1
`;

// KEYS: sent set, events hash, pending zset, alerts-with-pending set, steps hash. ARGV: version,
// ttl seconds, id, then the event's step fields.
const SENT = `
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
for i = 4, #ARGV do redis.call('HDEL', KEYS[5], ARGV[i]) end
if redis.call('ZCARD', KEYS[3]) == 0 then redis.call('SREM', KEYS[4], ARGV[3]) end
return 1
`;

// KEYS: pending zset, alerts-with-pending set. ARGV: version, id.
const DROP = `
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return 1
`;

/** How long the record of sent versions lives: well past any re-queue of an old change. */
const SENT_TTL_SECONDS = 30 * 86_400;

/** The webhook's outbox keeps the keys it always had; another destination's are under its own name. */
export const WEBHOOK_OUTBOX = 'teams';

/** The outbox of one Teams destination for every alert, under a key prefix shared with the alert store. */
export class TeamsOutbox {
  private readonly p: string;
  /** Each episode's message and each change's steps done, for a destination that edits its card (the bot). */
  readonly records: RedisDeliveryRecords;

  constructor(
    private readonly redis: Redis,
    keyPrefix = 's3-chatops:',
    /** Whose outbox: `teams` (the webhook) or `teams-bot`; each has keys of its own. */
    destination = WEBHOOK_OUTBOX,
  ) {
    this.p = `${keyPrefix}${destination}:`;
    this.records = new RedisDeliveryRecords(redis, (id) => this.messagesKey(id), (id) => this.stepsKey(id));
  }

  /** Queues an event for Teams unless it was queued or sent before; true when it was new. */
  async add(event: AlertEvent): Promise<boolean> {
    const id = event.state.id;
    return (await this.redis.eval(ADD, 4, this.sentKey(id), this.eventsKey(id), this.pendingKey(id), this.alertsKey(), event.version, JSON.stringify(event), id)) === 1;
  }

  /** Alerts with changes not yet sent to Teams. */
  async pendingAlerts(): Promise<string[]> {
    return this.redis.smembers(this.alertsKey());
  }

  /** The oldest unsent event of an alert. */
  async next(alertId: string): Promise<AlertEvent | null> {
    const [version] = await this.redis.zrange(this.pendingKey(alertId), 0, 0);
    if (version === undefined) return null;
    const raw = await this.redis.hget(this.eventsKey(alertId), version);
    if (raw === null) {
      // A version without its event cannot be sent; drop it so the ones after it are not held back.
      await this.redis.eval(DROP, 2, this.pendingKey(alertId), this.alertsKey(), version, alertId);
      return this.next(alertId);
    }
    return JSON.parse(raw) as AlertEvent;
  }

  /** Marks an event sent: it leaves the outbox, with the record of its steps. */
  async markSent(alertId: string, version: number): Promise<void> {
    const steps = DELIVERY_STEPS.map((step) => deliveryStepField(version, step));
    await this.redis.eval(SENT, 5, this.sentKey(alertId), this.eventsKey(alertId), this.pendingKey(alertId), this.alertsKey(), this.stepsKey(alertId), version, SENT_TTL_SECONDS, alertId, ...steps);
  }

  /** Whether a slot's digest card went to Teams. */
  async digestSent(slot: string): Promise<boolean> {
    return (await this.redis.exists(`${this.p}digest:${slot}`)) === 1;
  }

  async markDigestSent(slot: string): Promise<void> {
    await this.redis.set(`${this.p}digest:${slot}`, '1', 'EX', 7 * 86_400);
  }

  /** Takes the Teams delivery lock of an alert, renewed while its holder works; `null` when another holds it. */
  async lock(alertId: string, ttlMs: number): Promise<HeldLock | null> {
    return acquireLock(this.redis, `${this.p}lock:${alertId}`, { ttlMs });
  }

  private alertsKey(): string {
    return `${this.p}pending-alerts`;
  }
  private sentKey(id: string): string {
    return `${this.p}sent:${id}`;
  }
  private eventsKey(id: string): string {
    return `${this.p}events:${id}`;
  }
  private pendingKey(id: string): string {
    return `${this.p}pending:${id}`;
  }
  private stepsKey(id: string): string {
    return `${this.p}delivery:${id}`;
  }
  private messagesKey(id: string): string {
    return `${this.p}messages:${id}`;
  }
}
