/**
 * Alert state in Redis. A tick's new states and the events they produce are committed in one
 * script (compare-and-set on each alert's version, and on the chunk's last evaluated slot), so a
 * slot is applied once and every change is queued for delivery exactly when it is recorded, in
 * the outbox of every configured destination (`alerts/outbox.ts`).
 */
import type { Redis } from 'ioredis';
import { AlertOutbox, OutboxKeys } from './outbox.js';
import { upgradeLegacyOutboxes } from './outbox-upgrade.js';
import { readStoredState } from './stored-state.js';
import type { AlertEvent, AlertState } from './types.js';

export type { DeliveryStep, MessageRef } from './outbox.js';

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

// KEYS: marker, index, the pending set of each of d destinations, then per alert its state and
// its events list in each destination's outbox. ARGV: slot ('' for none), n, not-after (Redis time
// in ms, '' for none), d, then (expected version, state json, events json array, id) per alert.
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
local d = tonumber(ARGV[4])
local function stateKey(i) return KEYS[2 + d + (i - 1) * (1 + d) + 1] end
for i = 1, n do
  local cur = redis.call('GET', stateKey(i))
  local v = 0
  if cur then v = cjson.decode(cur).version end
  if v ~= tonumber(ARGV[5 + (i - 1) * 4]) then return 'conflict' end
end
for i = 1, n do
  local base = 5 + (i - 1) * 4
  local id = ARGV[base + 3]
  redis.call('SET', stateKey(i), ARGV[base + 1])
  redis.call('SADD', KEYS[2], id)
  local events = cjson.decode(ARGV[base + 2])
  if #events > 0 then
    for j = 1, d do
      local outbox = KEYS[2 + d + (i - 1) * (1 + d) + 1 + j]
      for _, e in ipairs(events) do redis.call('RPUSH', outbox, e) end
      redis.call('SADD', KEYS[2 + j], id)
    end
  end
end
if slot ~= '' then redis.call('SET', KEYS[1], slot) end
return 'ok'
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

export interface AlertStoreOptions {
  /** Prepended to every key, so deployments and tests can share one Redis. */
  keyPrefix?: string;
  /**
   * The destinations whose outboxes every committed change is added to, in the commit's own
   * script (`notify/destinations.ts` derives them from the configuration); `['slack']` by default.
   */
  destinations?: readonly string[];
}

/** Alert states, and the outbox of each destination their changes are committed to, in Redis. */
export class AlertStore implements AlertReader {
  private readonly p: string;
  private readonly destinations: readonly string[];
  private readonly outboxes = new Map<string, AlertOutbox>();
  private upgraded: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly options: AlertStoreOptions = {},
  ) {
    this.p = `${options.keyPrefix ?? 's3-chatops:'}alerts:`;
    this.destinations = [...new Set(options.destinations ?? ['slack'])];
  }

  /**
   * A destination's outbox. Before it is first read, an outbox layout of an earlier release still
   * in Redis is moved into this one (once per store, tried again after a failure).
   */
  outbox(destination: string): AlertOutbox {
    let outbox = this.outboxes.get(destination);
    if (!outbox) {
      outbox = new AlertOutbox(this.redis, this.p, destination, () => this.upgradeOnce());
      this.outboxes.set(destination, outbox);
    }
    return outbox;
  }

  /**
   * Moves what an earlier release left in its outbox layouts into this one now; returns how many
   * changes it moved. Cheap once the first run is done: it then reads only the old pending sets.
   */
  async upgradeOutboxes(): Promise<number> {
    return upgradeLegacyOutboxes(this.redis, { keyPrefix: this.options.keyPrefix ?? 's3-chatops:', destinations: this.destinations });
  }

  private upgradeOnce(): Promise<void> {
    const upgrade = (this.upgraded ??= this.upgradeOutboxes().then(
      () => undefined,
      (error: unknown) => {
        this.upgraded = undefined;
        throw error;
      },
    ));
    return upgrade;
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
    const outboxes = this.destinations.map((d) => new OutboxKeys(this.p, d));
    const keys = [slot ? this.markerKey(slot.chunk) : `${this.p}nomarker`, `${this.p}index`, ...outboxes.map((o) => o.pending())];
    const args: (string | number)[] = [slot?.at ?? '', writes.length, options.notAfterMs ?? '', outboxes.length];
    for (const w of writes) {
      keys.push(this.stateKey(w.state.id), ...outboxes.map((o) => o.events(w.state.id)));
      args.push(w.expectedVersion, JSON.stringify(w.state), JSON.stringify(w.events.map((e) => JSON.stringify(e))), w.state.id);
    }
    return (await this.redis.eval(COMMIT, keys.length, ...keys, ...args)) as CommitResult;
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
  private markerKey(chunk: string): string {
    return `${this.p}slot:${chunk}`;
  }
}
