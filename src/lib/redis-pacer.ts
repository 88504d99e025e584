/**
 * Paces calls to one destination across every process sharing a Redis: each caller reserves the
 * next free slot (one every `1000 / perSecond` ms, on Redis' clock so hosts need not agree) and
 * waits for it. A burst is spread out rather than refused, in the order the slots were taken.
 */
import type { Redis } from 'ioredis';
import type { Pacer } from './local-pacer.js';
import { sleep } from './sleep.js';

// KEYS: the next free slot (ms). ARGV: interval ms. Returns how long the caller waits for its slot.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, free)
redis.call('SET', KEYS[1], tostring(at + interval), 'PX', math.ceil(at + interval - now) + 60000)
return math.ceil(at - now)
`;

// KEYS: the next free slot (ms), the hold (ms). ARGV: how long to hold (ms). No slot is given
// before now + hold (the next free slot moves there), and a slot given earlier waits for it too.
const HOLD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local ttl = math.ceil(untilMs - now) + 60000
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > free then redis.call('SET', KEYS[1], tostring(untilMs), 'PX', ttl) end
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
if untilMs > held then redis.call('SET', KEYS[2], tostring(untilMs), 'PX', ttl) end
return 1
`;

// KEYS: the hold (ms). Returns how long the hold still lasts (0 when none).
const HELD_FOR = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = tonumber(redis.call('GET', KEYS[1]) or '0')
return math.max(0, math.ceil(held - now))
`;

/** One slot per `1000 / perSecond` ms under `key`, shared by every process on the same Redis. */
export class RedisPacer implements Pacer {
  private readonly intervalMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    perSecond: number,
  ) {
    if (!(perSecond > 0)) throw new Error(`a pace needs a positive rate, not ${perSecond}`);
    this.intervalMs = 1000 / perSecond;
  }

  /** Reserves the next slot and resolves when it comes; rejects with the signal's reason if it aborts first. */
  async wait(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const waitMs = Number(await this.redis.eval(RESERVE, 1, this.key, this.intervalMs));
    if (waitMs > 0) await sleep(waitMs, signal);
    // A 429 answered while this caller waited holds its slot back too (rarely more than once).
    for (let heldMs = await this.heldFor(); heldMs > 0; heldMs = await this.heldFor()) await sleep(heldMs, signal);
  }

  private async heldFor(): Promise<number> {
    return Number(await this.redis.eval(HELD_FOR, 1, `${this.key}:hold`));
  }

  /** Gives no slot for the next `ms` to any caller (a 429's Retry-After: the destination is throttled as a whole). */
  async holdFor(ms: number): Promise<void> {
    await this.redis.eval(HOLD, 2, this.key, `${this.key}:hold`, Math.max(0, Math.ceil(ms)));
  }
}
