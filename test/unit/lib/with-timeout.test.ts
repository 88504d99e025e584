import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withTimeout } from '../../../src/lib/with-timeout.js';

describe('withTimeout', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers with the promise when it settles in time', async () => {
    await expect(withTimeout(Promise.resolve('PONG'), 1_000, 'late')).resolves.toBe('PONG');
  });

  it('rejects with the message once the time is up, not before', async () => {
    const slow = new Promise<string>(() => undefined);
    let settled = false;
    const raced = withTimeout(slow, 1_000, 'Redis did not answer PING within 1000 ms').finally(() => (settled = true));
    const outcome = expect(raced).rejects.toThrow('Redis did not answer PING within 1000 ms');
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
  });
});
