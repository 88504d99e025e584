import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * A BullMQ queue that adds and reads jobs over a shared fail-fast connection (no offline queue, a
 * command timeout), and fails fast too: every call settles within the connection's deadline, and
 * once Redis is back the next call goes through.
 *
 * By default a Queue first waits for its connection to be ready and then asks Redis its version,
 * and BullMQ keeps that start-up's outcome for the queue's whole life. While Redis is away at the
 * start an `add` waits (no deadline), and a version check cut short (Redis stopping or not
 * answering while the queue starts) leaves a queue whose every `add` fails with that old error,
 * even long after Redis is back. Without either step the queue sends nothing until it is used.
 * The workers' own connections still check the version when they start.
 */
export function openSharedQueue<T = unknown>(name: string, connection: Redis, prefix?: string): Queue<T> {
  return new Queue<T>(name, { connection, skipWaitingForReady: true, skipVersionCheck: true, ...(prefix ? { prefix } : {}) });
}
