// The pipeline's rule on a destination of its own (as a Teams bot would be): one deliverer per
// alert, changes in version order, each marked delivered only after it went out.
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../src/alerts/types.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { LockLostError, type HeldLock } from '../../../src/lib/redis-lock.js';
import { DeliveryBusyError, deliverPending, isBusy, type Destination } from '../../../src/notify/pipeline.js';

function heldLock(key: string): HeldLock & { lose(): void; released: boolean } {
  const controller = new AbortController();
  const lock = {
    key,
    signal: controller.signal,
    released: false,
    assertHeld() {
      if (controller.signal.aborted) throw controller.signal.reason as Error;
    },
    async release() {
      lock.released = true;
    },
    lose() {
      controller.abort(new LockLostError(key));
    },
  };
  return lock;
}

const event = (version: number): AlertEvent => ({ kind: version === 1 ? 'fired' : 'changed', version, at: '2026-03-02T10:00:00Z', state: { id: 'a' } }) as unknown as AlertEvent;

/** A destination kept in memory: what a new surface implements to join the pipeline. */
function memoryDestination(pending: number[], options: { lockTaken?: boolean; onSend?: (version: number, lock: ReturnType<typeof heldLock>) => void } = {}) {
  const sent: number[] = [];
  const delivered: number[] = [];
  const lock = heldLock('a');
  const destination: Destination = {
    name: 'memory',
    lock: async () => (options.lockTaken ? null : lock),
    next: async () => (pending.length > 0 ? event(pending[0]!) : null),
    async send(e) {
      options.onSend?.(e.version, lock);
      sent.push(e.version);
    },
    async delivered(_id, version) {
      delivered.push(version);
      pending.splice(pending.indexOf(version), 1);
    },
    refusal: () => undefined,
  };
  return { destination, sent, delivered, lock };
}

describe('deliverPending', () => {
  it('sends every pending change oldest first, marks each delivered after it went out, and releases the lock', async () => {
    const d = memoryDestination([1, 2, 3]);
    expect(await deliverPending(d.destination, 'a', { logger: silentLogger() })).toBe(3);
    expect(d.sent).toEqual([1, 2, 3]);
    expect(d.delivered).toEqual([1, 2, 3]);
    expect(d.lock.released).toBe(true);
  });

  it('is busy, sending nothing, when another deliverer holds the alert', async () => {
    const d = memoryDestination([1], { lockTaken: true });
    const error = await deliverPending(d.destination, 'a', { logger: silentLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryBusyError);
    expect((error as DeliveryBusyError).destination).toBe('memory');
    expect(isBusy(error)).toBe(true);
    expect(d.sent).toEqual([]);
  });

  it('stops when the lock is lost: the change in flight is not marked delivered and nothing after it is sent', async () => {
    const d = memoryDestination([1, 2], { onSend: (version, lock) => version === 1 && lock.lose() });
    const error = await deliverPending(d.destination, 'a', { logger: silentLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockLostError);
    expect(isBusy(error)).toBe(true);
    expect(d.sent).toEqual([1]);
    expect(d.delivered).toEqual([]);
    expect(d.lock.released).toBe(true);
  });
});
