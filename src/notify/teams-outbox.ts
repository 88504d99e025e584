/**
 * Alert changes waiting to go to Teams, per alert, in Redis. Kept apart from Slack's outbox so
 * each destination advances on its own: a Teams outage never holds a Slack message back. An event
 * is added at most once (by version), sent in version order, and marked sent once it went out.
 */
import type { Redis } from 'ioredis';
import { readStoredEvent } from '../alerts/stored-state.js';
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

// KEYS: sent set, events hash, pending zset, alerts-with-pending set. ARGV: version, ttl seconds, id.
const SENT = `
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
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
    return readStoredEvent(raw);
  }

  async markSent(alertId: string, version: number): Promise<void> {
    await this.redis.eval(SENT, 4, this.sentKey(alertId), this.eventsKey(alertId), this.pendingKey(alertId), this.alertsKey(), version, SENT_TTL_SECONDS, alertId);
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
}
