import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * How long one Redis command may go unanswered before it fails: a Redis that accepts connections
 * and never answers must cost a person a clear message within seconds, not a silent wait.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * A Redis connection that degrades instead of crashing: it keeps reconnecting in the
 * background, commands fail at once while it is down (no offline queue piling up) and after
 * `REDIS_COMMAND_TIMEOUT_MS` while it does not answer, and connection errors are logged rather
 * than thrown. Not for BullMQ workers: their blocking commands wait longer than that on purpose.
 */
export function createRedisConnection(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
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

/** True when a Redis answers PING at `url` within a second; never throws (a probe before starting one). */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, commandTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
