import { Queue, RedisConnection, type RedisClient } from 'bullmq';
import type { Redis } from 'ioredis';
import { REDIS_COMMAND_TIMEOUT_MS } from './redis.js';
import { withTimeout } from './with-timeout.js';

/**
 * BullMQ's wrapper of a shared connection, with a bound on how long a call waits for the
 * connection's first `ready`. BullMQ's own start-up waits for it without one: with Redis away
 * when the process starts, an `add` would wait until Redis came back. Past the bound the call
 * fails; the start-up itself goes on and completes once Redis is reachable.
 */
class BoundedStartConnection extends RedisConnection {
  override get client(): Promise<RedisClient> {
    const started = super.client;
    if (this.status === 'ready') return started;
    const bounded = withTimeout(started, REDIS_COMMAND_TIMEOUT_MS, `Redis has not been reachable since the start (waited ${REDIS_COMMAND_TIMEOUT_MS} ms)`);
    // BullMQ also reads `client` without awaiting it (a queue's constructor does); whoever awaits it still sees the failure.
    bounded.catch(() => undefined);
    return bounded;
  }
}

/**
 * A BullMQ queue that adds and reads jobs over a shared fail-fast connection (no offline queue, a
 * command timeout), and fails fast too: every call settles within the connection's deadline, and
 * once Redis is back the next call goes through.
 *
 * BullMQ keeps the outcome of a queue's start-up for the queue's whole life, and by default that
 * start-up asks Redis its version: a version check cut short (Redis stopping or not answering
 * while the queue starts) left a queue whose every `add` failed with that old error, long after
 * Redis was back. Without the check the start-up only waits for the connection's `ready`, which
 * cannot fail for good. The workers' own connections still check the version when they start.
 */
export function openSharedQueue<T = unknown>(name: string, connection: Redis, prefix?: string): Queue<T> {
  return new Queue<T>(name, { connection, skipVersionCheck: true, ...(prefix ? { prefix } : {}) }, BoundedStartConnection);
}
