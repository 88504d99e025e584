import { describe, expect, it } from 'vitest';
import { CachedCosts } from '../../../src/aws/cached-costs.js';
import type { CostPort, CostQuery, CostResult, ForecastResult } from '../../../src/aws/ports.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { MemoryCache } from '../../helpers/memory-cache.js';

class CountingCosts implements CostPort {
  daily = 0;
  forecasts = 0;
  fail = false;
  async getDailyCost(query: CostQuery): Promise<CostResult> {
    this.daily += 1;
    if (this.fail) throw new Error('Cost Explorer down');
    return { days: [{ date: query.start, total: this.daily, groups: {} }], currency: 'USD', fetchedAt: new Date('2026-03-01T00:00:00Z') };
  }
  async getForecast(): Promise<ForecastResult | null> {
    this.forecasts += 1;
    return null;
  }
}

const query: CostQuery = { start: '2026-03-01', end: '2026-03-10', groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' } };

describe('CachedCosts', () => {
  it('caches per distinct query: another grouping is another Cost Explorer request', async () => {
    const inner = new CountingCosts();
    const costs = new CachedCosts(inner, new MemoryCache(), { cacheHours: 6, logger: silentLogger() });
    await costs.getDailyCost(query);
    await costs.getDailyCost(query);
    await costs.getDailyCost({ ...query, groupBy: { type: 'TAG', key: 'bucket' } });
    expect(inner.daily).toBe(2);
  });

  it('keeps the figures of two sources apart in one cache (an emulator and AWS, say)', async () => {
    const cache = new MemoryCache();
    const emulated = new CountingCosts();
    const real = new CountingCosts();
    await new CachedCosts(emulated, cache, { cacheHours: 6, logger: silentLogger(), scope: 'http://127.0.0.1:5000' }).getDailyCost(query);
    const fromAws = new CachedCosts(real, cache, { cacheHours: 6, logger: silentLogger(), scope: 'aws' });
    await fromAws.getDailyCost(query);
    await fromAws.getDailyCost(query);
    expect([emulated.daily, real.daily]).toEqual([1, 1]);
  });

  it('stores for cacheHours', async () => {
    const cache = new MemoryCache();
    await new CachedCosts(new CountingCosts(), cache, { cacheHours: 3, logger: silentLogger() }).getDailyCost(query);
    expect([...cache.entries.values()].map((e) => e.ttl)).toEqual([3 * 3600]);
  });

  it('caches a missing forecast too, so it is not asked again', async () => {
    const inner = new CountingCosts();
    const costs = new CachedCosts(inner, new MemoryCache(), { cacheHours: 6, logger: silentLogger() });
    expect(await costs.getForecast({ start: '2026-03-10', end: '2026-04-01' })).toBeNull();
    expect(await costs.getForecast({ start: '2026-03-10', end: '2026-04-01' })).toBeNull();
    expect(inner.forecasts).toBe(1);
  });

  it('does not cache a failure, and the next call asks again', async () => {
    const inner = new CountingCosts();
    inner.fail = true;
    const costs = new CachedCosts(inner, new MemoryCache(), { cacheHours: 6, logger: silentLogger() });
    await expect(costs.getDailyCost(query)).rejects.toThrow('Cost Explorer down');
    inner.fail = false;
    await expect(costs.getDailyCost(query)).resolves.toMatchObject({ currency: 'USD' });
    expect(inner.daily).toBe(2);
  });

  it('lets identical calls in flight share one request, and a failed one frees the key for the next call', async () => {
    const inner = new CountingCosts();
    const costs = new CachedCosts(inner, new MemoryCache(), { cacheHours: 6, logger: silentLogger() });
    const [a, b] = await Promise.all([costs.getDailyCost(query), costs.getDailyCost(query)]);
    expect(inner.daily).toBe(1);
    expect(b).toBe(a);
    const other = new CachedCosts(inner, new MemoryCache(), { cacheHours: 6, logger: silentLogger() });
    inner.fail = true;
    const both = await Promise.allSettled([other.getDailyCost(query), other.getDailyCost(query)]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(inner.daily).toBe(2);
    inner.fail = false;
    await expect(other.getDailyCost(query)).resolves.toMatchObject({ currency: 'USD' });
    expect(inner.daily).toBe(3);
  });
});
