import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection that degrades instead of crashing: it keeps reconnecting in the
 * background, commands fail at once while it is down (no offline queue piling up), and
 * connection errors are logged rather than thrown.
 */
export function createRedisConnection(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
  });
  let down = false;
  redis.on('error', (error: Error) => {
    // One line per outage, not one per reconnect attempt.
    if (!down) logger.warn({ err: error }, 'Redis is unreachable; caching and readiness degrade until it returns');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info('Redis is reachable again');
    down = false;
  });
  return redis;
}
