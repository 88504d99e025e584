import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../../src/lib/singleflight.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('runs one computation for callers of the same key while it is in flight', async () => {
    const flight = new SingleFlight<number>();
    const gate = deferred<number>();
    let runs = 0;
    const compute = () => {
      runs += 1;
      return gate.promise;
    };
    const first = flight.run('k', compute);
    const second = flight.run('k', compute);
    expect(first.joined).toBe(false);
    expect(second.joined).toBe(true);
    gate.resolve(7);
    expect(await Promise.all([first.promise, second.promise])).toEqual([7, 7]);
    expect(runs).toBe(1);
  });

  it('keeps different keys apart', async () => {
    const flight = new SingleFlight<string>();
    const a = flight.run('a', async () => 'A');
    const b = flight.run('b', async () => 'B');
    expect(b.joined).toBe(false);
    expect(await Promise.all([a.promise, b.promise])).toEqual(['A', 'B']);
  });

  it('starts afresh once the computation settled, including after a failure', async () => {
    const flight = new SingleFlight<number>();
    await expect(flight.run('k', async () => Promise.reject(new Error('boom'))).promise).rejects.toThrow('boom');
    expect(flight.current('k')).toBeUndefined();
    const again = flight.run('k', async () => 2);
    expect(again.joined).toBe(false);
    expect(await again.promise).toBe(2);
    expect(flight.size).toBe(0);
  });

  it('shares a failure with every caller that joined', async () => {
    const flight = new SingleFlight<number>();
    const gate = deferred<number>();
    const first = flight.run('k', () => gate.promise);
    const second = flight.run('k', () => gate.promise);
    gate.reject(new Error('denied'));
    await expect(first.promise).rejects.toThrow('denied');
    await expect(second.promise).rejects.toThrow('denied');
  });
});
