// The renewed lock without a Redis: a stand-in that answers SET and the renewal script as told,
// to show when a holder keeps its lock and when it must assume it lost it.
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockLostError } from '../../../src/lib/redis-lock.js';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('acquireLock', () => {
  it('returns null when another holder has the key', async () => {
    expect(await acquireLock(fakeRedis(null, async () => 1).redis, 'k', { ttlMs: 300 })).toBeNull();
  });

  it('keeps the lock past its TTL while each renewal is confirmed', async () => {
    const { redis, renewals } = fakeRedis('OK', async () => 1);
    const lock = (await acquireLock(redis, 'k', { ttlMs: 600, renewEveryMs: 50 }))!;
    await sleep(1_500);
    expect(lock.signal.aborted).toBe(false);
    expect(renewals()).toBeGreaterThan(3);
    await lock.release();
  });

  it('aborts as soon as a renewal finds another token', async () => {
    const lock = (await acquireLock(fakeRedis('OK', async () => 0).redis, 'k', { ttlMs: 10_000, renewEveryMs: 20 }))!;
    await sleep(200);
    expect(lock.signal.reason).toBeInstanceOf(LockLostError);
    expect(() => lock.assertHeld()).toThrow(/lost the lock k/);
  });

  it('aborts once its TTL has passed without a confirmed renewal, while Redis does not answer', async () => {
    const lock = (await acquireLock(fakeRedis('OK', () => new Promise(() => undefined)).redis, 'k', { ttlMs: 1_000, renewEveryMs: 20 }))!;
    await sleep(100);
    expect(lock.signal.aborted).toBe(false);
    await sleep(1_500);
    expect(lock.signal.reason).toBeInstanceOf(LockLostError);
  });

  it('aborts once its TTL has passed while every renewal fails', async () => {
    const lock = (await acquireLock(fakeRedis('OK', () => Promise.reject(new Error('Connection is closed.'))).redis, 'k', { ttlMs: 200, renewEveryMs: 20 }))!;
    await sleep(500);
    expect(lock.signal.reason).toBeInstanceOf(LockLostError);
  });
});
