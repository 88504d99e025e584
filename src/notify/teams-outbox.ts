/**
 * Alert changes waiting to go to Teams, per alert, in Redis. Kept apart from Slack's outbox so
 * each destination advances on its own: a Teams outage never holds a Slack message back. An event
 * is added at most once (by version), sent in version order, and marked sent once it went out.
 */
import type { Redis } from 'ioredis';
import type { AlertEvent } from '../alerts/types.js';

// KEYS: sent set, events hash, pending zset. ARGV: version, event json.
const ADD = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[1])
return 1
`;

// KEYS: sent set, events hash, pending zset. ARGV: version, ttl seconds.
const SENT = `
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`;

/** How long the record of sent versions lives: well past any re-queue of an old change. */
const SENT_TTL_SECONDS = 30 * 86_400;

/** The Teams outbox of every alert, under a key prefix shared with the alert store. */
export class TeamsOutbox {
  private readonly p: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix = 's3-chatops:',
  ) {
    this.p = `${keyPrefix}teams:`;
  }

  /** Queues an event for Teams unless it was queued or sent before; true when it was new. */
  async add(event: AlertEvent): Promise<boolean> {
    const id = event.state.id;
    return (await this.redis.eval(ADD, 3, this.sentKey(id), this.eventsKey(id), this.pendingKey(id), event.version, JSON.stringify(event))) === 1;
  }

  /** The oldest unsent event of an alert. */
  async next(alertId: string): Promise<AlertEvent | null> {
    const [version] = await this.redis.zrange(this.pendingKey(alertId), 0, 0);
    if (version === undefined) return null;
    const raw = await this.redis.hget(this.eventsKey(alertId), version);
    if (raw === null) {
      // A version without its event cannot be sent; drop it so the ones after it are not held back.
      await this.redis.zrem(this.pendingKey(alertId), version);
      return this.next(alertId);
    }
    return JSON.parse(raw) as AlertEvent;
  }

  async markSent(alertId: string, version: number): Promise<void> {
    await this.redis.eval(SENT, 3, this.sentKey(alertId), this.eventsKey(alertId), this.pendingKey(alertId), version, SENT_TTL_SECONDS);
  }

  /** Whether a slot's digest card went to Teams. */
  async digestSent(slot: string): Promise<boolean> {
    return (await this.redis.exists(`${this.p}digest:${slot}`)) === 1;
  }

  async markDigestSent(slot: string): Promise<void> {
    await this.redis.set(`${this.p}digest:${slot}`, '1', 'EX', 7 * 86_400);
  }

  /** Takes the Teams delivery lock of an alert; returns its release, or `null` when another holds it. */
  async lock(alertId: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    const key = `${this.p}lock:${alertId}`;
    if ((await this.redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return null;
    return async () => {
      await this.redis.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, key, token);
    };
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
}
