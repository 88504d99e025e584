import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NewestObjects } from '../../../src/aws/newest-objects.js';

const object = (key: string, time: number) => ({ key, size: 1, lastModified: new Date(time), storageClass: 'STANDARD' });

describe('NewestObjects', () => {
  it('keeps the newest N, newest first', () => {
    const keeper = new NewestObjects(2);
    [object('a', 5), object('b', 9), object('c', 1), object('d', 7)].forEach((o) => keeper.offer(o));
    expect(keeper.newestFirst().map((o) => o.key)).toEqual(['b', 'd']);
  });

  it('keeps nothing with a limit of 0', () => {
    const keeper = new NewestObjects(0);
    keeper.offer(object('a', 1));
    expect(keeper.newestFirst()).toEqual([]);
  });

  it('agrees with sorting everything, for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 200 }), fc.integer({ min: 1, max: 20 }), (times, limit) => {
        const keeper = new NewestObjects(limit);
        times.forEach((t, i) => keeper.offer(object(`k${i}`, t)));
        const kept = keeper.newestFirst().map((o) => o.lastModified.getTime());
        const expected = [...times].sort((a, b) => b - a).slice(0, limit);
        expect(kept).toEqual(expected);
      }),
    );
  });
});
