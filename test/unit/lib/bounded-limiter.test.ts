import { describe, expect, it } from 'vitest';
import { BoundedLimiter } from '../../../src/lib/bounded-limiter.js';

describe('BoundedLimiter', () => {
  it('runs at most `concurrency` at once and refuses work past the queue bound', async () => {
    const limiter = new BoundedLimiter({ concurrency: 2, maxQueue: 1 });
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const work = () =>
      new Promise<void>((resolve) => {
        running += 1;
        peak = Math.max(peak, running);
        releases.push(() => {
          running -= 1;
          resolve();
        });
      });
    const accepted = [limiter.tryRun(work), limiter.tryRun(work), limiter.tryRun(work)];
    expect(accepted.every((p) => p !== undefined)).toBe(true);
    expect(limiter.tryRun(work)).toBeUndefined();
    expect(limiter.load).toBe(3);

    await new Promise((r) => setTimeout(r, 10));
    expect(running).toBe(2);
    releases.shift()!();
    await new Promise((r) => setTimeout(r, 10));
    expect(running).toBe(2);
    while (releases.length) releases.shift()!();
    await Promise.all(accepted);
    expect(peak).toBe(2);
    expect(limiter.load).toBe(0);
    expect(limiter.tryRun(async () => 'again')).toBeDefined();
  });

  it('frees its slot when the work fails', async () => {
    const limiter = new BoundedLimiter({ concurrency: 1, maxQueue: 0 });
    await expect(limiter.tryRun(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(limiter.load).toBe(0);
    expect(await limiter.tryRun(async () => 1)).toBe(1);
  });
});
