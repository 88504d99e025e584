import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { retryUntilDone } from '../../../src/jobs/retry-until.js';

describe('retryUntilDone', () => {
  const logs: Array<{ level: string; msg: string; context: Record<string, unknown> }> = [];
  const logger = {
    warn: (context: Record<string, unknown>, msg: string) => void logs.push({ level: 'warn', msg, context }),
    error: (context: Record<string, unknown>, msg: string) => void logs.push({ level: 'error', msg, context }),
  };
  beforeEach(() => {
    vi.useFakeTimers();
    logs.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** An attempt that fails `failures` times (Redis away), then succeeds. */
  function flaky(failures: number) {
    const calls = { n: 0 };
    const attempt = async () => {
      calls.n += 1;
      if (calls.n <= failures) throw new Error('Redis is away');
    };
    return { calls, attempt };
  }

  /** Moves the clock on by `ms`, then says how many tries there have been in all. */
  async function triesAfter(ms: number, calls: { n: number }): Promise<number> {
    await vi.advanceTimersByTimeAsync(ms);
    return calls.n;
  }

  it('tries again after each failure until the attempt succeeds, then stops trying', async () => {
    const retry = retryUntilDone({ everyMs: 30_000, forMs: 86_400_000, logger, what: 'enqueue the daily digest', now: () => Date.now() });
    const { calls, attempt } = flaky(3);
    retry.run(attempt, { slot: '2026-12-01' });
    expect(await triesAfter(0, calls)).toBe(1);
    expect(await triesAfter(29_999, calls)).toBe(1);
    expect(await triesAfter(1, calls)).toBe(2);
    expect(await triesAfter(60_000, calls)).toBe(4);
    expect(await triesAfter(10 * 60_000, calls)).toBe(4);
    expect(logs.map((l) => [l.level, l.msg, l.context.slot])).toEqual(Array(3).fill(['warn', 'could not enqueue the daily digest; trying again', '2026-12-01']));
  });

  it('with firstRetryMs, waits 1 s after the first failure and doubles each wait up to everyMs', async () => {
    const retry = retryUntilDone({ firstRetryMs: 1_000, everyMs: 30_000, forMs: 86_400_000, logger, what: 'enqueue the daily digest', now: () => Date.now() });
    const { calls, attempt } = flaky(Number.POSITIVE_INFINITY);
    retry.run(attempt);
    expect(await triesAfter(0, calls)).toBe(1);
    // Tries at 1, 3, 7, 15 and 31 s (waits of 1, 2, 4, 8 and 16 s), then every 30 s.
    expect(await triesAfter(999, calls)).toBe(1);
    expect(await triesAfter(1, calls)).toBe(2);
    expect(await triesAfter(2_000, calls)).toBe(3);
    expect(await triesAfter(4_000, calls)).toBe(4);
    expect(await triesAfter(8_000, calls)).toBe(5);
    expect(await triesAfter(16_000, calls)).toBe(6);
    expect(await triesAfter(29_999, calls)).toBe(6);
    expect(await triesAfter(1, calls)).toBe(7);
    expect(await triesAfter(30_000, calls)).toBe(8);
    expect(logs.slice(0, 6).map((l) => l.context.retryMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
    retry.stop();
  });

  it('gives up, saying so, once the next try would fall past its bound', async () => {
    const retry = retryUntilDone({ everyMs: 30_000, forMs: 100_000, logger, what: 'enqueue the daily digest', now: () => Date.now() });
    const { calls, attempt } = flaky(Number.POSITIVE_INFINITY);
    retry.run(attempt);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    // Tries at 0, 30, 60 and 90 s; a fifth at 120 s would be past 100 s.
    expect(calls.n).toBe(4);
    expect(logs.at(-1)).toMatchObject({ level: 'error', msg: 'could not enqueue the daily digest; giving up' });
  });

  it('retryNow runs a waiting try at once, and keeps trying on its usual interval if that fails too', async () => {
    const retry = retryUntilDone({ everyMs: 30_000, forMs: 86_400_000, logger, what: 'enqueue the daily digest', now: () => Date.now() });
    const { calls, attempt } = flaky(2);
    retry.run(attempt);
    expect(await triesAfter(5_000, calls)).toBe(1);
    // Redis is back (or seems to be): no waiting out the 30 s.
    retry.retryNow();
    expect(await triesAfter(0, calls)).toBe(2);
    // That one failed as well: the next comes 30 s after it, and only once.
    expect(await triesAfter(29_999, calls)).toBe(2);
    expect(await triesAfter(1, calls)).toBe(3);
    expect(await triesAfter(10 * 60_000, calls)).toBe(3);
    // Nothing waiting: retryNow tries nothing.
    retry.retryNow();
    expect(await triesAfter(0, calls)).toBe(3);
  });

  it('a try still running when retryNow comes is tried again at once if it fails, not after its doubled wait', async () => {
    const retry = retryUntilDone({ firstRetryMs: 1_000, everyMs: 30_000, forMs: 86_400_000, logger, what: 'enqueue the daily digest', now: () => Date.now() });
    const calls = { n: 0 };
    let failRunning: (error: Error) => void = () => undefined;
    // The first try fails at once; the second hangs (sent while Redis was away) until failed by hand; the third succeeds.
    const attempt = () => {
      calls.n += 1;
      if (calls.n === 1) return Promise.reject(new Error('Redis is away'));
      if (calls.n === 2) return new Promise<void>((_, reject) => (failRunning = reject));
      return Promise.resolve();
    };
    retry.run(attempt);
    expect(await triesAfter(1_000, calls)).toBe(2);
    // Redis reconnects while the second try is still out; nothing is waiting, so nothing runs yet.
    retry.retryNow();
    expect(await triesAfter(0, calls)).toBe(2);
    // The second try now fails (its command was sent before the reconnect): the next runs at once.
    failRunning(new Error('Command timed out'));
    expect(await triesAfter(0, calls)).toBe(3);
    expect(logs.map((l) => l.context.retryMs)).toEqual([1_000, 0]);
    expect(await triesAfter(10 * 60_000, calls)).toBe(3);
  });

  it('after retryNow, a try that came too soon is followed by the short waits again, not the doubled ones', async () => {
    const retry = retryUntilDone({ firstRetryMs: 1_000, everyMs: 30_000, forMs: 86_400_000, logger, what: 'enqueue the daily digest', now: () => Date.now() });
    const { calls, attempt } = flaky(6);
    retry.run(attempt);
    // Tries at 0, 1, 3, 7 and 15 s: the next wait would be 16 s.
    expect(await triesAfter(15_000, calls)).toBe(5);
    // The connection is back, but the try it brings on still fails (too soon).
    retry.retryNow();
    expect(await triesAfter(0, calls)).toBe(6);
    // The next comes 1 s later, not 32 s: it succeeds.
    expect(await triesAfter(999, calls)).toBe(6);
    expect(await triesAfter(1, calls)).toBe(7);
    expect(await triesAfter(10 * 60_000, calls)).toBe(7);
    expect(logs.map((l) => l.context.retryMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 1_000]);
  });

  it('tries nothing more once stopped', async () => {
    const retry = retryUntilDone({ everyMs: 30_000, forMs: 86_400_000, logger, what: 'enqueue the daily digest', now: () => Date.now() });
    const { calls, attempt } = flaky(Number.POSITIVE_INFINITY);
    retry.run(attempt);
    await vi.advanceTimersByTimeAsync(0);
    retry.stop();
    expect(await triesAfter(10 * 60_000, calls)).toBe(1);
  });
});
