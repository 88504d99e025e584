import { Queue } from 'bullmq';
import { expect, it } from 'vitest';
import { closeSharedQueue } from '../../../src/lib/close-queue.js';
import { createRedisConnection } from '../../../src/lib/redis.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { describeWithServices, redisUrl } from '../../helpers/services.js';

describeWithServices(
  'closeSharedQueue',
  () => {
    it('closes queues on a shared connection that is still starting without an unhandled rejection', async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        // A bot stopped right after it started: two producers on the bot's one connection,
        // closed before (or just as) the connection is ready. Plain `queue.close()` left an
        // unhandled "Connection is closed" here in about one round of four.
        for (let round = 0; round < 30; round++) {
          const redis = createRedisConnection(redisUrl(), silentLogger());
          const queues = [new Queue(`close-a-${round}`, { connection: redis, prefix: 'close-queue-test' }), new Queue(`close-b-${round}`, { connection: redis, prefix: 'close-queue-test' })];
          for (const queue of queues) queue.on('error', () => undefined);
          await new Promise((resolve) => setTimeout(resolve, round % 5));
          for (const queue of queues) await closeSharedQueue(queue);
          await redis.quit().catch(() => redis.disconnect());
        }
        // Rejections surface on a later turn of the event loop.
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
      expect(unhandled).toEqual([]);
    });
  },
  ['redis'],
);
