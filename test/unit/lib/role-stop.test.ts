import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/logger.js';
import { closeWithin, roleStop } from '../../../src/lib/shutdown.js';

describe('roleStop', () => {
  it('runs the stop sequence once however often it is called, and on a signal, then removes its signal handlers', async () => {
    const before = process.listenerCount('SIGTERM');
    let runs = 0;
    const codes: number[] = [];
    let finish!: () => void;
    const stop = roleStop(() => new Promise<void>((resolve) => (runs++, (finish = resolve))), { logger: silentLogger(), exit: (code) => codes.push(code) });
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    const first = stop();
    process.emit('SIGTERM', 'SIGTERM');
    expect(stop()).toBe(first);
    expect(runs).toBe(1);
    finish();
    await first;
    await expect.poll(() => codes).toEqual([0]);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('installs no signal handler when a parent stops the role', async () => {
    const before = process.listenerCount('SIGTERM');
    const stop = roleStop(async () => undefined, { logger: silentLogger(), handleSignals: false });
    expect(process.listenerCount('SIGTERM')).toBe(before);
    await stop();
  });
});

describe('closeWithin', () => {
  it('waits for every close, a failed one included, and goes on past its bound', async () => {
    expect(await closeWithin([Promise.resolve(), Promise.reject(new Error('gone')), undefined], silentLogger(), 'queues', 1_000)).toBe(true);
    expect(await closeWithin([new Promise(() => undefined)], silentLogger(), 'queues', 50)).toBe(false);
  });
});
