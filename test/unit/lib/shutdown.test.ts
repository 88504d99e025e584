import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/logger.js';
import { exitOnShutdownSignals, settlesWithin } from '../../../src/lib/shutdown.js';

describe('exitOnShutdownSignals', () => {
  let remove: (() => void) | undefined;
  afterEach(() => remove?.());

  const signal = (name: NodeJS.Signals) => process.emit(name as 'SIGTERM', name);
  // Only the handler the stop installed (the newest): the test runner's own must not see these.
  const uncaught = (error: Error) => process.listeners('uncaughtException').at(-1)!(error, 'unhandledRejection');
  const exitCodes = () => {
    const codes: number[] = [];
    let resolveFirst!: (code: number) => void;
    const first = new Promise<number>((resolve) => (resolveFirst = resolve));
    return {
      codes,
      first,
      exit: (code: number) => {
        codes.push(code);
        resolveFirst(code);
      },
    };
  };

  it('exits 0 once a graceful stop has finished', async () => {
    const { exit, first, codes } = exitCodes();
    let stopped = false;
    remove = exitOnShutdownSignals({ logger: silentLogger(), exit, stop: async () => void (stopped = true) });
    signal('SIGTERM');
    expect(await first).toBe(0);
    expect(stopped).toBe(true);
    expect(codes).toEqual([0]);
  });

  it('a refused connection reported while stopping does not end the stop; another uncaught error exits 1', async () => {
    let finish!: () => void;
    const refused = exitCodes();
    remove = exitOnShutdownSignals({ logger: silentLogger(), exit: refused.exit, stop: () => new Promise<void>((resolve) => (finish = resolve)) });
    signal('SIGTERM');
    uncaught(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }));
    finish();
    expect(await refused.first).toBe(0);
    remove();

    const broken = exitCodes();
    remove = exitOnShutdownSignals({ logger: silentLogger(), exit: broken.exit, boundMs: 60_000, stop: () => new Promise<void>(() => undefined) });
    signal('SIGTERM');
    uncaught(new TypeError('x is not a function'));
    expect(await broken.first).toBe(1);
  });

  it('exits 1 at the bound when the stop never finishes', async () => {
    const { exit, first } = exitCodes();
    const started = Date.now();
    remove = exitOnShutdownSignals({ logger: silentLogger(), exit, boundMs: 200, stop: () => new Promise<void>(() => undefined) });
    signal('SIGTERM');
    expect(await first).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('exits 1 at once on a second signal while stopping, and 1 when the stop fails', async () => {
    const hanging = exitCodes();
    remove = exitOnShutdownSignals({ logger: silentLogger(), exit: hanging.exit, boundMs: 60_000, stop: () => new Promise<void>(() => undefined) });
    signal('SIGTERM');
    signal('SIGINT');
    expect(await hanging.first).toBe(1);
    remove();

    const failing = exitCodes();
    remove = exitOnShutdownSignals({ logger: silentLogger(), exit: failing.exit, stop: () => Promise.reject(new Error('queue close failed')) });
    signal('SIGTERM');
    expect(await failing.first).toBe(1);
  });
});

describe('settlesWithin', () => {
  it('is true for work that settles in time, rejected or not, and false for work that does not', async () => {
    expect(await settlesWithin(Promise.resolve(), 100)).toBe(true);
    expect(await settlesWithin(Promise.reject(new Error('no')), 100)).toBe(true);
    expect(await settlesWithin(new Promise(() => undefined), 50)).toBe(false);
  });
});
