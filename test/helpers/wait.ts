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
 * The one way tests wait for something to happen: vitest's `expect.poll` inside a test, the same
 * polling by hand in a hook (where `expect.poll` refuses to run).
 */
export async function waitFor<T>(read: () => T | Promise<T>, check?: (value: T) => void, options: WaitOptions = {}): Promise<T> {
  const timeout = options.timeoutMs ?? 10_000;
  const interval = options.intervalMs ?? 50;
  let last: T | undefined;
  const attempt = async (): Promise<true> => {
    last = await read();
    if (check) check(last);
    else if (!last) throw new Error(options.message ?? 'the condition waited for never held');
    return true;
  };
  let poll: ReturnType<typeof expect.poll<true>> | undefined;
  try {
    poll = expect.poll(attempt, { timeout, interval, ...(options.message ? { message: options.message } : {}) });
  } catch (error) {
    if (!String((error as Error).message).includes('inside a test')) throw error;
  }
  if (poll) await poll.toBe(true);
  else await pollInHook(attempt, timeout, interval, options.message);
  return last as T;
}

async function pollInHook(attempt: () => Promise<true>, timeoutMs: number, intervalMs: number, message?: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (performance.now() >= deadline) throw new Error(`${message ?? 'waited in vain'} within ${timeoutMs} ms: ${(error as Error).message}`, { cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Lets `ms` go by. Only where time passing is the point: a test asserting that nothing happens
 * during a time (a duplicate that must not arrive), or spacing events the way real time does;
 * never to wait for something to happen (that is `waitFor`).
 */
export function elapse(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
