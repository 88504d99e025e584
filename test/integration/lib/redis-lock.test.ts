// The lock's scripts against a real Redis: SET NX PX takes it, the compare-and-pexpire keeps it
// only under the holder's token, the compare-and-delete releases only the holder's own, and a
// holder that stops renewing lets the key expire for the next one.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { acquireLock, LockLostError } from '../../../src/lib/redis-lock.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';
import { waitFor } from '../../helpers/wait.js';

describeWithServices(
  'acquireLock on a real Redis',
  () => {
    let redis: Redis;
    const key = () => `redis-lock-test:${randomUUID()}`;

    beforeAll(() => {
      redis = new Redis(redisUrl(), { commandTimeout: 2_000, maxRetriesPerRequest: 1 });
    });
    afterAll(async () => {
      await redis.quit();
    });

    it('takes a free key with a token and the TTL, and refuses it to anyone else while held', async () => {
      const k = key();
      const lock = await acquireLock(redis, k, { ttlMs: 5_000 });
      expect(lock).not.toBeNull();
      const token = await redis.get(k);
      expect(token).toMatch(new RegExp(`^${process.pid}-`));
      const ttl = await redis.pttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5_000);
      expect(await acquireLock(redis, k, { ttlMs: 5_000 })).toBeNull();
      expect(await redis.get(k)).toBe(token);
      await lock!.release();
    });

    it('release deletes the key, and the next holder gets it', async () => {
      const k = key();
      const first = (await acquireLock(redis, k, { ttlMs: 5_000 }))!;
      await first.release();
      expect(await redis.exists(k)).toBe(0);
      const second = await acquireLock(redis, k, { ttlMs: 5_000 });
      expect(second).not.toBeNull();
      await second!.release();
    });

    it("release leaves another holder's key alone, and the renewal finds it lost", async () => {
      const k = key();
      const lock = (await acquireLock(redis, k, { ttlMs: 5_000, renewEveryMs: 20 }))!;
      // The key went to someone else (as after an expiry while this holder was away).
      await redis.set(k, 'another-holder', 'PX', 5_000);
      await waitFor(() => lock.signal.aborted);
      expect(lock.signal.reason).toBeInstanceOf(LockLostError);
      // The renewal did not extend the other holder's key under its own token, nor take it back.
      expect(await redis.get(k)).toBe('another-holder');
      await lock.release();
      expect(await redis.get(k)).toBe('another-holder');
      await redis.del(k);
    });

    it('keeps the key past its TTL while the holder renews it', async () => {
      const k = key();
      const lock = (await acquireLock(redis, k, { ttlMs: 300, renewEveryMs: 50 }))!;
      const token = await redis.get(k);
      // Asserts that the key does not expire during a time: only a wait can show it.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(lock.signal.aborted).toBe(false);
      expect(await redis.get(k)).toBe(token);
      expect(await redis.pttl(k)).toBeGreaterThan(0);
      await lock.release();
      expect(await redis.exists(k)).toBe(0);
    });

    it('expires when its holder stops renewing, and then goes to the next one', async () => {
      const k = key();
      // A holder on its own connection, which then goes away without releasing.
      const holder = new Redis(redisUrl(), { commandTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
      holder.on('error', () => undefined);
      const dead = (await acquireLock(holder, k, { ttlMs: 300, renewEveryMs: 50 }))!;
      const deadToken = await redis.get(k);
      holder.disconnect();
      expect(await acquireLock(redis, k, { ttlMs: 5_000 })).toBeNull();
      const next = (await waitFor(() => acquireLock(redis, k, { ttlMs: 5_000 })))!;
      expect(await redis.get(k)).not.toBe(deadToken);
      // The dead holder judged itself lost within the TTL.
      expect(dead.signal.reason).toBeInstanceOf(LockLostError);
      await next.release();
    });
  },
  ['redis'],
);
