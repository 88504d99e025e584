/**
 * The outbox of one chat destination (Slack, the Teams webhook, the Teams bot): per alert, the
 * changes not yet delivered there, in version order; the record of each delivery step that went
 * out (so a retried delivery repeats none); the message of each episode, to edit it; and the
 * per-alert delivery lock. Every destination has the same key layout under its own name, so a
 * new destination is a new name, not new storage. The alert store adds each committed change to
 * every configured destination's outbox in the commit's own script (see `commitOutboxKeys`).
 */
import type { Redis } from 'ioredis';
import { acquireLock, type HeldLock } from '../lib/redis-lock.js';
import { readStoredEvent } from './stored-state.js';
import type { AlertEvent } from './types.js';

/** Where a delivered alert message lives, to edit it and reply in its thread (Slack's channel and ts). */
export interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * The calls one change's delivery makes to a destination that edits its message in place (Slack,
 * the Teams bot), each recorded once it went out: `main` posts or edits the alert message,
 * `reply` adds its thread line. A destination that sends one message per change records none.
 */
export type DeliveryStep = 'main' | 'reply';

/** The keys of one destination's outbox under a store's prefix (`<keyPrefix>alerts:`). */
export class OutboxKeys {
  private readonly base: string;

  constructor(storePrefix: string, readonly destination: string) {
    this.base = `${storePrefix}outbox:${destination}:`;
  }

  /** The set of alerts with changes not yet delivered here. */
  pending(): string {
    return `${this.base}pending`;
  }
  /** The list of an alert's undelivered changes (event JSON), oldest first. */
  events(id: string): string {
    return `${this.base}events:${id}`;
  }
  /** The hash of steps done for undelivered changes: `<version>:<step>` → `1`. */
  steps(id: string): string {
    return `${this.base}steps:${id}`;
  }
  /** The hash of each episode's message here: episode → ref JSON. */
  messages(id: string): string {
    return `${this.base}messages:${id}`;
  }
  lock(id: string): string {
    return `${this.base}lock:${id}`;
  }
}

// KEYS: events list, pending set, steps hash. ARGV: version, id.
const DELIVERED = `
local head = redis.call('LINDEX', KEYS[1], 0)
if head and cjson.decode(head).version == tonumber(ARGV[1]) then redis.call('LPOP', KEYS[1]) end
local prefix = ARGV[1] .. ':'
for _, field in ipairs(redis.call('HKEYS', KEYS[3])) do
  if string.sub(field, 1, #prefix) == prefix then redis.call('HDEL', KEYS[3], field) end
end
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return 1
`;

/** The hash field recording that `step` of change `version` went out. */
function stepField(version: number, step: DeliveryStep): string {
  return `${version}:${step}`;
}

/** One destination's outbox of every alert: what is left to deliver there, and what already went. */
export class AlertOutbox {
  private readonly keys: OutboxKeys;

  /** `ready` runs before the outbox is first read (the upgrade of an older layout). */
  constructor(
    private readonly redis: Redis,
    storePrefix: string,
    readonly destination: string,
    private readonly ready: () => Promise<void> = async () => {},
  ) {
    this.keys = new OutboxKeys(storePrefix, destination);
  }

  /** Alerts with changes not yet delivered here. */
  async pendingIds(): Promise<string[]> {
    await this.ready();
    return this.redis.smembers(this.keys.pending());
  }

  /** The oldest change of an alert not yet delivered here. */
  async next(id: string): Promise<AlertEvent | null> {
    await this.ready();
    const raw = await this.redis.lindex(this.keys.events(id), 0);
    return raw === null ? null : readStoredEvent(raw);
  }

  /** Marks a change delivered: it leaves the outbox, with the record of its steps. */
  async delivered(id: string, version: number): Promise<void> {
    await this.redis.eval(DELIVERED, 3, this.keys.events(id), this.keys.pending(), this.keys.steps(id), version, id);
  }

  /** Whether a step of a change's delivery went out, so a retried delivery does not repeat it. */
  async stepDone(id: string, version: number, step: DeliveryStep): Promise<boolean> {
    return (await this.redis.hexists(this.keys.steps(id), stepField(version, step))) === 1;
  }

  async markStepDone(id: string, version: number, step: DeliveryStep): Promise<void> {
    await this.redis.hset(this.keys.steps(id), stepField(version, step), '1');
  }

  /** The message of an alert episode here, once posted. */
  async messageRef<R = MessageRef>(id: string, episode: number): Promise<R | null> {
    const raw = await this.redis.hget(this.keys.messages(id), String(episode));
    return raw === null ? null : (JSON.parse(raw) as R);
  }

  /** Records an episode's first post: its message and the change's `main` step, in one transaction. */
  async recordPost(id: string, episode: number, version: number, ref: unknown): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.messages(id), String(episode), JSON.stringify(ref))
      .hset(this.keys.steps(id), stepField(version, 'main'), '1')
      .exec();
  }

  /**
   * Takes this destination's delivery lock of an alert, renewed while its holder works; `null` when
   * another holds it. The TTL only bounds how long a holder that died keeps the alert waiting.
   */
  async lock(id: string, ttlMs: number): Promise<HeldLock | null> {
    return acquireLock(this.redis, this.keys.lock(id), { ttlMs });
  }
}
