import { createHash } from 'node:crypto';
import type { CachePort } from '../lib/cache.js';
import type { Logger } from '../lib/logger.js';
import { SingleFlight } from '../lib/singleflight.js';
import type { CallOptions, CostPort, CostQuery, CostResult, ForecastResult } from './ports.js';

/** Bump when the cached value's shape changes, so old entries are not misread. */
const CACHE_VERSION = 'v1';

interface StoredForecast {
  forecast: (Omit<ForecastResult, 'fetchedAt'> & { fetchedAt: string }) | null;
}

/**
 * A `CostPort` that answers each distinct query from the cache for `cacheHours`, and lets
 * identical calls in flight share one Cost Explorer request (each request is billed). When the
 * cache fails it logs a warning and still answers from Cost Explorer.
 */
export class CachedCosts implements CostPort {
  private readonly flight = new SingleFlight<unknown>();

  constructor(
    private readonly inner: CostPort,
    private readonly cache: CachePort,
    private readonly options: {
      cacheHours: number;
      logger: Logger;
      /** Where the figures come from (an endpoint, or AWS), so one Redis never mixes two sources. */
      scope?: string;
    },
  ) {}

  /** Daily cost, from the cache when an identical query was answered within `cacheHours`. */
  getDailyCost(query: CostQuery, options: CallOptions = {}): Promise<CostResult> {
    const key = cacheKey('daily', { scope: this.options.scope, start: query.start, end: query.end, groupBy: query.groupBy });
    return this.coalesced(key, async () => {
      const hit = await this.cached(key);
      if (hit !== null) return reviveCostResult(hit);
      const fresh = await this.inner.getDailyCost(query, options);
      await this.store(key, JSON.stringify(fresh));
      return fresh;
    });
  }

  /** The forecast (or its absence), cached like the daily figures. */
  getForecast(range: { start: string; end: string }, options: CallOptions = {}): Promise<ForecastResult | null> {
    const key = cacheKey('forecast', { scope: this.options.scope, start: range.start, end: range.end });
    return this.coalesced(key, async () => {
      const hit = await this.cached(key);
      if (hit !== null) {
        const stored = JSON.parse(hit) as StoredForecast;
        return stored.forecast ? { ...stored.forecast, fetchedAt: new Date(stored.forecast.fetchedAt) } : null;
      }
      const fresh = await this.inner.getForecast(range, options);
      await this.store(key, JSON.stringify({ forecast: fresh }));
      return fresh;
    });
  }

  /**
   * A caller joining a request in flight shares its deadline (the first caller's signal); the entry
   * goes once that request settles, answered or not, so a stalled one never outlives its deadline.
   */
  private coalesced<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.flight.run(key, work).promise as Promise<T>;
  }

  private async cached(key: string): Promise<string | null> {
    try {
      return await this.cache.get(key);
    } catch (error) {
      this.options.logger.warn({ err: error, key }, 'cost cache unreadable; asking Cost Explorer');
      return null;
    }
  }

  private async store(key: string, value: string): Promise<void> {
    try {
      await this.cache.set(key, value, this.options.cacheHours * 3600);
    } catch (error) {
      this.options.logger.warn({ err: error, key }, 'cost cache unwritable; the next query asks Cost Explorer again');
    }
  }
}

/** A short, stable key for one query. */
function cacheKey(kind: string, query: object): string {
  const digest = createHash('sha256').update(JSON.stringify(query)).digest('hex').slice(0, 32);
  return `ce:${CACHE_VERSION}:${kind}:${digest}`;
}

function reviveCostResult(text: string): CostResult {
  const parsed = JSON.parse(text) as Omit<CostResult, 'fetchedAt'> & { fetchedAt: string };
  return { ...parsed, fetchedAt: new Date(parsed.fetchedAt) };
}
