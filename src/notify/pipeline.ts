/**
 * The one delivery pipeline of alert changes, whatever the destination: each destination keeps its
 * own outbox per alert (so an outage of one never holds another back), and every destination
 * follows the same rule: one deliverer per alert at a time (a lock renewed while it works), events
 * in version order, each marked delivered only after it went out. A new destination (a Teams bot)
 * is a new `Destination`, not a second pipeline.
 */
import type { AlertEvent } from '../alerts/types.js';
import type { Logger } from '../lib/logger.js';
import { LockLostError, type HeldLock } from '../lib/redis-lock.js';

/** Where one alert's changes go, and its outbox of changes not yet delivered there. */
export interface Destination {
  /** Its name in logs, metrics and errors: `slack`, `teams`. */
  readonly name: string;
  /** Takes the destination's lock of an alert, renewed while its holder works; `null` when another holds it. */
  lock(alertId: string, ttlMs: number): Promise<HeldLock | null>;
  /** The oldest change of the alert not yet delivered here. */
  next(alertId: string): Promise<AlertEvent | null>;
  /** Sends one change; each call it makes is skipped if recorded done, and aborts with `lock.signal`. */
  send(event: AlertEvent, lock: HeldLock): Promise<void>;
  /** Marks a change delivered: it leaves the outbox. */
  delivered(alertId: string, version: number): Promise<void>;
  /** Why an error is a refusal that retrying cannot fix and a person must (`channel_not_found`, `http_404`); `undefined` for any other. */
  refusal(error: unknown): string | undefined;
}

/** Thrown when another worker is delivering the alert to this destination: the job waits and looks again, spending no attempt. */
export class DeliveryBusyError extends Error {
  constructor(
    readonly destination: string,
    readonly alertId: string,
  ) {
    super(`another worker is delivering alert ${alertId} to ${destination}`);
    this.name = 'DeliveryBusyError';
  }
}

/** Whether an error means another worker has the alert now (it held the lock, or took it over). */
export function isBusy(error: unknown): boolean {
  return error instanceof DeliveryBusyError || error instanceof LockLostError || (error as Error | undefined)?.name === 'LockLostError';
}

export interface PipelineOptions {
  logger: Logger;
  /** How long the per-alert lock outlives a holder that died; a live holder keeps renewing it. */
  lockMs?: number;
}

/** How long a per-alert lock outlives a holder that died, unless a destination is given another. */
export const DELIVERY_LOCK_MS = 60_000;

/** Delivers every pending change of one alert to `destination`, oldest first; returns how many went out. */
export async function deliverPending(destination: Destination, alertId: string, options: PipelineOptions): Promise<number> {
  const { logger } = options;
  const lock = await destination.lock(alertId, options.lockMs ?? DELIVERY_LOCK_MS);
  if (!lock) throw new DeliveryBusyError(destination.name, alertId);
  let delivered = 0;
  try {
    for (let event = await destination.next(alertId); event; event = await destination.next(alertId)) {
      // Another worker may have this alert now (this one stalled past the lock's TTL): stop before sending.
      lock.assertHeld();
      await destination.send(event, lock);
      lock.assertHeld();
      await destination.delivered(alertId, event.version);
      delivered += 1;
      logger.info({ destination: destination.name, alert: alertId, version: event.version, kind: event.kind }, 'alert event delivered');
    }
  } catch (error) {
    // Another worker may be delivering this alert now; this job stops and looks again after it.
    if (error instanceof LockLostError) logger.warn({ destination: destination.name, alert: alertId, delivered }, 'lost the delivery lock of the alert; stopping');
    throw error;
  } finally {
    await lock.release().catch((error: unknown) => logger.warn({ err: error, destination: destination.name, alert: alertId }, 'could not release the delivery lock; it expires by itself'));
  }
  return delivered;
}
