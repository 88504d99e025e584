// The renewed lock without a Redis: a stand-in that answers SET and the renewal script as told,
// to show when a holder keeps its lock and when it must assume it lost it.
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireLock, LockLostError } from '../../../src/lib/redis-lock.js';
import { elapse, waitFor } from '../../helpers/wait.js';

/** A Redis stand-in: SET NX answers `set`; every renewal or release answers `renew()`. */
function fakeRedis(set: 'OK' | null, renew: () => Promise<unknown>): { redis: Redis; renewals: () => number } {
  let renewals = 0;
  const redis = {
    set: async () => set,
    eval: async (script: string) => {
      if (script.includes('PEXPIRE')) renewals += 1;
      return renew();
    },
  } as unknown as Redis;
  return { redis, renewals: () => renewals };
}


describe('acquireLock', () => {
  it('returns null when another holder has the key', async () => {
    expect(await acquireLock(fakeRedis(null, async () => 1).redis, 'k', { ttlMs: 300 })).toBeNull();
  });

  it('keeps the lock past its TTL while each renewal is confirmed', async () => {
    const { redis, renewals } = fakeRedis('OK', async () => 1);
    const lock = (await acquireLock(redis, 'k', { ttlMs: 600, renewEveryMs: 50 }))!;
    // Time passing is the point: two and a half TTLs, and no abort in them.
    await elapse(1_500);
    expect(lock.signal.aborted).toBe(false);
    expect(renewals()).toBeGreaterThan(3);
    await lock.release();
  });

  it('aborts as soon as a renewal finds another token', async () => {
    const lock = (await acquireLock(fakeRedis('OK', async () => 0).redis, 'k', { ttlMs: 10_000, renewEveryMs: 20 }))!;
    await waitFor(() => lock.signal.aborted);
    expect(lock.signal.reason).toBeInstanceOf(LockLostError);
    expect(() => lock.assertHeld()).toThrow(/lost the lock k/);
  });

  it('aborts once its TTL has passed without a confirmed renewal, while Redis does not answer', async () => {
    const lock = (await acquireLock(fakeRedis('OK', () => new Promise(() => undefined)).redis, 'k', { ttlMs: 1_000, renewEveryMs: 20 }))!;
    // Not lost at once: the TTL has not run out yet (an absence only a wait shows).
    await elapse(100);
    expect(lock.signal.aborted).toBe(false);
    await waitFor(() => lock.signal.aborted);
    expect(lock.signal.reason).toBeInstanceOf(LockLostError);
  });

  it('aborts once its TTL has passed while every renewal fails', async () => {
    const lock = (await acquireLock(fakeRedis('OK', () => Promise.reject(new Error('Connection is closed.'))).redis, 'k', { ttlMs: 200, renewEveryMs: 20 }))!;
    await waitFor(() => lock.signal.aborted);
    expect(lock.signal.reason).toBeInstanceOf(LockLostError);
  });

  describe('on the monotonic clock, a tenth of the TTL early', () => {
    afterEach(() => {
      vi.restoreAllMocks();
      vi.useRealTimers();
    });

    it('gives the lock up at nine tenths of the TTL without a confirmed renewal, even between renewals', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      // Renewals due only every 10 s, and Redis never answers them.
      const lock = (await acquireLock(fakeRedis('OK', () => new Promise(() => undefined)).redis, 'k', { ttlMs: 1_000, renewEveryMs: 10_000 }))!;
      await vi.advanceTimersByTimeAsync(899);
      expect(() => lock.assertHeld()).not.toThrow();
      expect(lock.signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(lock.signal.reason).toBeInstanceOf(LockLostError);
    });

    it('judges itself lost in assertHeld when its own process stalled past that point before a timer could fire', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const lock = (await acquireLock(fakeRedis('OK', () => new Promise(() => undefined)).redis, 'k', { ttlMs: 1_000, renewEveryMs: 10_000 }))!;
      // The clock moves on, no timer has run: a long synchronous stretch of the holder's.
      const stalled = performance.now() + 950;
      vi.spyOn(performance, 'now').mockReturnValue(stalled);
      expect(lock.signal.aborted).toBe(false);
      expect(() => lock.assertHeld()).toThrow(/lost the lock k/);
    });

    it('still deletes the key, under its own token, when released after giving it up', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const scripts: string[] = [];
      const redis = {
        set: async () => 'OK',
        eval: (script: string) => {
          scripts.push(script);
          // Renewals never answer; the delete does.
          return script.includes('DEL') ? Promise.resolve(1) : new Promise(() => undefined);
        },
      } as unknown as Redis;
      const lock = (await acquireLock(redis, 'k', { ttlMs: 1_000, renewEveryMs: 10_000 }))!;
      await vi.advanceTimersByTimeAsync(900);
      expect(lock.signal.aborted).toBe(true);
      await lock.release();
      expect(scripts.filter((s) => s.includes("redis.call('DEL'"))).toHaveLength(1);
    });

    it('keeps the lock for as long as renewals are confirmed', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const { redis, renewals } = fakeRedis('OK', async () => 1);
      const lock = (await acquireLock(redis, 'k', { ttlMs: 1_000 }))!;
      await vi.advanceTimersByTimeAsync(10_000);
      expect(() => lock.assertHeld()).not.toThrow();
      expect(renewals()).toBeGreaterThanOrEqual(29);
      await lock.release();
    });
  });
});
