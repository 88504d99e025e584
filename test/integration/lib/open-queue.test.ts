/**
 * A producer queue on a shared fail-fast connection fails fast and recovers by itself: Redis away
 * or not answering while the queue starts must not leave an `add` waiting without a deadline, nor
 * a queue that keeps failing after Redis is back (the lost daily digest after an outage at start).
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/logger.js';
import { openSharedQueue } from '../../../src/lib/open-queue.js';
import { createRedisConnection } from '../../../src/lib/redis.js';
import { startFrozenRedisProxy, type FrozenTcpProxy } from '../../helpers/frozen-tcp.js';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/private-redis.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';
import { waitFor } from '../../helpers/wait.js';

describeWithServices(
  'openSharedQueue',
  () => {
    const prefix = `open-queue-${process.pid}-${Date.now()}`;
    const cleanups: Array<() => Promise<unknown> | unknown> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    /** The job named `id` as another client reads it from `url`. */
    async function storedJob(url: string, name: string, id: string): Promise<string | undefined> {
      const connection = new Redis(url, { maxRetriesPerRequest: null });
      const reader = new Queue(name, { connection, prefix });
      try {
        return (await reader.getJob(id))?.name;
      } finally {
        await reader.close();
        connection.disconnect();
      }
    }

    it('adds jobs once Redis answers again after it stopped answering while the queue started', async () => {
      const proxy: FrozenTcpProxy & { url: string } = await startFrozenRedisProxy(redisUrl());
      cleanups.push(() => proxy.stop());
      const connection = createRedisConnection(proxy.url, silentLogger());
      cleanups.push(() => connection.disconnect());
      // Redis stops answering the moment the connection is ready: whatever the queue sends while
      // it starts is never answered (a Redis stopping or paused then), and times out.
      connection.once('ready', () => proxy.freeze());
      const queue = openSharedQueue('start-frozen', connection, prefix);
      queue.on('error', () => undefined);
      cleanups.push(() => queue.close());
      await waitFor(() => connection.status === 'ready');
      // While frozen an add fails within the connection's command deadline, and so has anything
      // the queue sent before it.
      await expect(queue.add('first', {}, { jobId: 'first' })).rejects.toThrow(/timed out/i);
      proxy.pass();
      const job = await queue.add('second', {}, { jobId: 'second' });
      expect(job.id).toBe('second');
      expect(await storedJob(redisUrl(), 'start-frozen', 'second')).toBe('second');
    });

    it('fails an add within its deadline while Redis is away at the start, and adds once it is back', async () => {
      const redis: PrivateRedis = await startPrivateRedis();
      cleanups.push(() => redis.destroy());
      await redis.stop();
      const connection = createRedisConnection(redis.url, silentLogger());
      cleanups.push(() => connection.disconnect());
      const queue = openSharedQueue('start-down', connection, prefix);
      queue.on('error', () => undefined);
      cleanups.push(() => queue.close());
      // Not a wait for Redis to come back: the call's bounded wait for the connection's start.
      await expect(queue.add('early', {}, { jobId: 'early' })).rejects.toThrow(/not been reachable since the start/);
      await redis.start();
      await waitFor(() => connection.status === 'ready', undefined, { timeoutMs: 20_000 });
      const job = await queue.add('later', {}, { jobId: 'later' });
      expect(job.id).toBe('later');
      expect(await storedJob(redis.url, 'start-down', 'later')).toBe('later');
    });

    it('adds at once after it is opened: the first call waits for the new connection to be ready', async () => {
      const connection = createRedisConnection(redisUrl(), silentLogger());
      cleanups.push(() => connection.disconnect());
      const queue = openSharedQueue('just-opened', connection, prefix);
      queue.on('error', () => undefined);
      cleanups.push(() => queue.close());
      // The connection is still connecting here (as when a worker's first tick comes right after it started).
      expect(connection.status).not.toBe('ready');
      const job = await queue.add('first', {}, { jobId: 'first' });
      expect(await storedJob(redisUrl(), 'just-opened', 'first')).toBe(job.name);
    });
  },
  ['redis'],
);
