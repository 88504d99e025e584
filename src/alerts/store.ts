/**
 * Alert state in Redis. A tick's new states and the events they produce are committed in one
 * script (compare-and-set on each alert's version, and on the chunk's last evaluated slot), so a
 * slot is applied once and every change is queued for delivery exactly when it is recorded.
 */
import type { Redis } from 'ioredis';
import { acquireLock, type HeldLock } from '../lib/redis-lock.js';
import { readStoredEvent, readStoredState } from './stored-state.js';
import type { AlertEvent, AlertState } from './types.js';

/** Where a delivered alert message lives, to edit it and reply in its thread. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/** One alert's change to commit: the version it was computed from, the new state, its events. */
export interface AlertWrite {
  expectedVersion: number;
  state: AlertState;
  events: AlertEvent[];
}

/** `expired`: the commit reached Redis after its `notAfter`, and changed nothing. */
export type CommitResult = 'ok' | 'seen' | 'conflict' | 'expired';

/** What `/s3 alerts`, status and App Home read. */
export interface AlertReader {
  list(): Promise<AlertState[]>;
}

// KEYS: marker, pending set, index set, then (state, outbox) per alert.
// ARGV: slot ('' for none), n, not-after (Redis time in ms, '' for none), then (expected version,
// state json, events json array, id) per alert.
const COMMIT = `
local notAfter = ARGV[3]
if notAfter ~= '' then
  local t = redis.call('TIME')
  if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(notAfter) then return 'expired' end
end
local slot = ARGV[1]
if slot ~= '' then
  local seen = redis.call('GET', KEYS[1])
  if seen and seen >= slot then return 'seen' end
end
local n = tonumber(ARGV[2])
for i = 1, n do
  local cur = redis.call('GET', KEYS[2 + 2 * i])
  local v = 0
  if cur then v = cjson.decode(cur).version end
  if v ~= tonumber(ARGV[4 + (i - 1) * 4]) then return 'conflict' end
end
for i = 1, n do
  local base = 4 + (i - 1) * 4
  redis.call('SET', KEYS[2 + 2 * i], ARGV[base + 1])
  redis.call('SADD', KEYS[3], ARGV[base + 3])
  local events = cjson.decode(ARGV[base + 2])
  for _, e in ipairs(events) do redis.call('RPUSH', KEYS[3 + 2 * i], e) end
  if #events > 0 then redis.call('SADD', KEYS[2], ARGV[base + 3]) end
end
if slot ~= '' then redis.call('SET', KEYS[1], slot) end
return 'ok'
`;

// KEYS: outbox, pending set, delivery hash. ARGV: version, id, then the event's step fields.
const ACK = `
local head = redis.call('LINDEX', KEYS[1], 0)
if head and cjson.decode(head).version == tonumber(ARGV[1]) then redis.call('LPOP', KEYS[1]) end
for i = 3, #ARGV do redis.call('HDEL', KEYS[3], ARGV[i]) end
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return 1
`;

/** The last success (KEYS[1]); without one, when watching began (KEYS[2]), set to ARGV[1] if it was not. */
const LAST_SUCCESS_OR_WATCH = `
local success = redis.call('GET', KEYS[1])
if success then return success end
redis.call('SET', KEYS[2], ARGV[1], 'NX')
return redis.call('GET', KEYS[2])
`;

/** Keeps the larger of the stored number and ARGV[1]. */
const KEEP_LATEST = `
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`;

/**
 * The Slack calls one event's delivery makes, each recorded once it went out: `main` posts or
 * edits the alert message, `reply` adds its thread line.
 */
export type DeliveryStep = 'main' | 'reply';
const STEPS: readonly DeliveryStep[] = ['main', 'reply'];

/** The delivery hash field of a step; `main` keeps the bare version, as first recorded. */
function stepField(version: number, step: DeliveryStep): string {
  return step === 'main' ? String(version) : `${version}:${step}`;
}

export interface AlertStoreOptions {
  /** Prepended to every key, so deployments and tests can share one Redis. */
  keyPrefix?: string;
}

/** Alert states, their undelivered events and delivered message references, in Redis. */
export class AlertStore implements AlertReader {
  private readonly p: string;

  constructor(
    private readonly redis: Redis,
    options: AlertStoreOptions = {},
  ) {
    this.p = `${options.keyPrefix ?? 's3-chatops:'}alerts:`;
  }

  /** The states of the given alerts (`undefined` for one never seen). */
  async getStates(ids: readonly string[]): Promise<(AlertState | undefined)[]> {
    if (ids.length === 0) return [];
    const raw = await this.redis.mget(ids.map((id) => this.stateKey(id)));
    return raw.map((r) => (r === null ? undefined : readStoredState(r)));
  }

  /** Every alert ever seen. */
  async list(): Promise<AlertState[]> {
    const ids = await this.redis.smembers(`${this.p}index`);
    return (await this.getStates(ids.sort())).filter((s): s is AlertState => s !== undefined);
  }

  /** The last slot a chunk was evaluated for (ISO), or `null`. */
  async lastSlot(chunk: string): Promise<string | null> {
    return this.redis.get(this.markerKey(chunk));
  }

  /** Redis's own clock, in milliseconds: a deadline carried into a script by it needs no agreement between clocks. */
  async redisTimeMs(): Promise<number> {
    const [seconds, micros] = await this.redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  /**
   * Writes states and queues their events atomically (and not at all when Redis runs it after
   * `options.notAfterMs`, by its own clock): `seen` when the chunk already has this slot,
   * `conflict` when an alert changed since it was read (recompute and try again).
   */
  async commit(writes: readonly AlertWrite[], slot?: { chunk: string; at: string }, options: { notAfterMs?: number } = {}): Promise<CommitResult> {
    const keys = [slot ? this.markerKey(slot.chunk) : `${this.p}nomarker`, `${this.p}pending`, `${this.p}index`];
    const args: (string | number)[] = [slot?.at ?? '', writes.length, options.notAfterMs ?? ''];
    for (const w of writes) {
      keys.push(this.stateKey(w.state.id), this.outboxKey(w.state.id));
      args.push(w.expectedVersion, JSON.stringify(w.state), JSON.stringify(w.events.map((e) => JSON.stringify(e))), w.state.id);
    }
    return (await this.redis.eval(COMMIT, keys.length, ...keys, ...args)) as CommitResult;
  }

  /** Alerts with events not yet delivered. */
  async pendingIds(): Promise<string[]> {
    return this.redis.smembers(`${this.p}pending`);
  }

  /** The oldest undelivered event of an alert. */
  async nextEvent(id: string): Promise<AlertEvent | null> {
    const raw = await this.redis.lindex(this.outboxKey(id), 0);
    return raw === null ? null : readStoredEvent(raw);
  }

  /** Marks an event delivered; it leaves the outbox, with the record of its steps. */
  async eventDelivered(id: string, version: number): Promise<void> {
    await this.redis.eval(ACK, 3, this.outboxKey(id), `${this.p}pending`, this.deliveryKey(id), version, id, ...STEPS.map((s) => stepField(version, s)));
  }

  /** Whether a step of an event's delivery went out, so a retried delivery does not repeat it. */
  async stepDone(id: string, version: number, step: DeliveryStep): Promise<boolean> {
    return (await this.redis.hexists(this.deliveryKey(id), stepField(version, step))) === 1;
  }

  async markStepDone(id: string, version: number, step: DeliveryStep): Promise<void> {
    await this.redis.hset(this.deliveryKey(id), stepField(version, step), '1');
  }

  /** The message of an alert episode, once posted. */
  async messageRef(id: string, episode: number): Promise<MessageRef | null> {
    const raw = await this.redis.hget(this.messagesKey(id), String(episode));
    return raw === null ? null : (JSON.parse(raw) as MessageRef);
  }

  /** Records an episode's first post: its message and the event's main step, in one transaction. */
  async recordPost(id: string, episode: number, version: number, ref: MessageRef): Promise<void> {
    await this.redis
      .multi()
      .hset(this.messagesKey(id), String(episode), JSON.stringify(ref))
      .hset(this.deliveryKey(id), stepField(version, 'main'), '1')
      .exec();
  }

  /**
   * Takes the delivery lock of an alert, renewed while its holder works; `null` when another
   * holds it. The TTL only bounds how long a holder that died keeps the alert waiting.
   */
  async lockDelivery(id: string, ttlMs: number): Promise<HeldLock | null> {
    return acquireLock(this.redis, `${this.p}lock:${id}`, { ttlMs });
  }

  /**
   * When an alert evaluation last succeeded in this deployment (any worker, any run before a
   * restart); if none ever has, when the first worker started watching, recorded by the first to
   * ask. A worker that restarts again and again thus cannot pass its own start off as a success.
   */
  async lastEvaluationSuccess(startedAt: Date): Promise<Date> {
    const keys = [`${this.p}evaluation:last-success`, `${this.p}evaluation:watched-since`];
    return new Date(Number(await this.redis.eval(LAST_SUCCESS_OR_WATCH, 2, ...keys, startedAt.getTime())));
  }

  /** Records a successful evaluation at `at`, unless a later one is already recorded. */
  async evaluationSucceeded(at: Date): Promise<void> {
    await this.redis.eval(KEEP_LATEST, 1, `${this.p}evaluation:last-success`, at.getTime());
  }

  /** A JSON value under the store's prefix (the metric series cache). */
  async getJson<T>(key: string): Promise<T | null> {
    const raw = await this.redis.get(`${this.p}${key}`);
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  async setJson(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.redis.set(`${this.p}${key}`, JSON.stringify(value), 'EX', Math.max(1, Math.round(ttlSeconds)));
  }

  private stateKey(id: string): string {
    return `${this.p}state:${id}`;
  }
  private outboxKey(id: string): string {
    return `${this.p}outbox:${id}`;
  }
  private deliveryKey(id: string): string {
    return `${this.p}delivery:${id}`;
  }
  private messagesKey(id: string): string {
    return `${this.p}messages:${id}`;
  }
  private markerKey(chunk: string): string {
    return `${this.p}slot:${chunk}`;
  }
}
