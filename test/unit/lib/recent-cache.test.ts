import { describe, expect, it } from 'vitest';
import { RecentCache } from '../../../src/lib/recent-cache.js';

describe('RecentCache', () => {
  it('returns a value until its time to live has passed', () => {
    let now = new Date('2025-01-01T00:00:00Z');
    const cache = new RecentCache<string>(20_000, () => now);
    cache.set('k', 'v');
    now = new Date(now.getTime() + 19_999);
    expect(cache.get('k')?.value).toBe('v');
    expect(cache.get('k')?.storedAt).toEqual(new Date('2025-01-01T00:00:00Z'));
    now = new Date(now.getTime() + 1);
    expect(cache.get('k')).toBeUndefined();
  });

  it('drops the oldest entry past its size bound', () => {
    const cache = new RecentCache<number>(60_000, () => new Date(0), 2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')?.value).toBe(2);
    expect(cache.get('c')?.value).toBe(3);
  });
});
