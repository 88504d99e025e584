import { expect } from 'vitest';

export interface WaitOptions {
  /** How long to keep trying; 10 s by default (the machine running the suite may be busy). */
  timeoutMs?: number;
  /** Pause between tries; 50 ms by default. */
  intervalMs?: number;
  /** Said when time runs out, before the last failure. */
  message?: string;
}

/**
 * Reads `read` until `check` passes on what it returned (or, without `check`, until it returns a
 * truthy value), then resolves with that value; fails with the last failure when time runs out.
 * The one way tests wait for something to happen, on vitest's `expect.poll`.
 */
export async function waitFor<T>(read: () => T | Promise<T>, check?: (value: T) => void, options: WaitOptions = {}): Promise<T> {
  let last: T | undefined;
  await expect
    .poll(
      async () => {
        last = await read();
        if (check) check(last);
        else if (!last) throw new Error(options.message ?? 'the condition waited for never held');
        return true;
      },
      { timeout: options.timeoutMs ?? 10_000, interval: options.intervalMs ?? 50, ...(options.message ? { message: options.message } : {}) },
    )
    .toBe(true);
  return last as T;
}
