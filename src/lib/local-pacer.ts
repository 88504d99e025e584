/**
 * The in-process counterpart of `RedisPacer`, for a process with no Redis (the command line):
 * one slot every `1000 / perSecond` ms for this process alone, taken in call order.
 */
import { sleep } from './sleep.js';

/** Something that hands out paced slots: `RedisPacer` across processes, `LocalPacer` within one. */
export interface Pacer {
  /** Resolves when the caller's slot comes; rejects with the signal's reason if it aborts first. */
  wait(signal?: AbortSignal): Promise<void>;
}

/** One slot per `1000 / perSecond` ms, for this process only. */
export class LocalPacer implements Pacer {
  private readonly intervalMs: number;
  private nextFree = 0;

  constructor(
    perSecond: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    if (!(perSecond > 0)) throw new Error(`a pace needs a positive rate, not ${perSecond}`);
    this.intervalMs = 1000 / perSecond;
  }

  /** Reserves the next slot and waits for it. */
  async wait(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = this.nowMs();
    const at = Math.max(now, this.nextFree);
    this.nextFree = at + this.intervalMs;
    const waitMs = at - now;
    if (waitMs <= 0) return;
    await sleep(waitMs, signal);
  }
}

/**
 * `shared` (the Redis pace of every process) while it answers; when it fails (Redis away or not
 * answering), this process paces itself with `local` rather than stop reading.
 */
export function sharedOrLocal(shared: Pacer, local: Pacer, onFallback: (error: unknown) => void): Pacer {
  return {
    async wait(signal?: AbortSignal): Promise<void> {
      try {
        await shared.wait(signal);
      } catch (error) {
        if (signal?.aborted) throw error;
        onFallback(error);
        await local.wait(signal);
      }
    },
  };
}
