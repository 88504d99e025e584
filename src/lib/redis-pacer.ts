/**
 * Paces calls to one destination across every process sharing a Redis: each caller reserves the
 * next free slot (one every `1000 / perSecond` ms, on Redis' clock so hosts need not agree) and
 * waits for it. A burst is spread out rather than refused, in the order the slots were taken.
 */
import type { Redis } from 'ioredis';
import type { Pacer } from './local-pacer.js';

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
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
