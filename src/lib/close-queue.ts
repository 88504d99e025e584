import type { Queue } from 'bullmq';

/** How long a closing queue waits for its connection's start-up before closing anyway. */
const READY_WAIT_MS = 2_000;

/**
 * Closes a BullMQ queue that shares an ioredis connection, never throwing.
 *
 * A queue closed while its connection is still starting (a bot stopped right after it started,
 * or while Redis is away) finishes its start-up after `close()` has removed its error listeners,
 * and BullMQ's own re-emit of that start-up's failure then becomes an unhandled rejection. Waiting
 * (bounded) for start-up to settle first keeps the failure where the queue's listener logs it.
 */
export async function closeSharedQueue(queue: Queue, readyWaitMs = READY_WAIT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, readyWaitMs);
  });
  await Promise.race([queue.waitUntilReady().then(() => undefined, () => undefined), waited]);
  clearTimeout(timer);
  await queue.close().catch(() => undefined);
}
