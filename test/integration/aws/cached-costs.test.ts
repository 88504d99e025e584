import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { CachedCosts } from '../../../src/aws/cached-costs.js';
import { CostExplorerCosts } from '../../../src/aws/cost-explorer.js';
import type { CostQuery } from '../../../src/aws/ports.js';
import { createLogger, silentLogger } from '../../../src/lib/logger.js';
import { RedisCache } from '../../../src/lib/redis-cache.js';
import { injectCostResults } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { countCommands } from './command-counter.js';
import { freePort } from '../../../src/lib/free-port.js';

function uniqueQuery(): CostQuery {
  const base = Date.UTC(2002, 0, 1) + Math.floor(Math.random() * 5_000) * 86_400_000;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: day(base), end: day(base + 86_400_000), groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' } };
}

async function seedOneDay(query: CostQuery, amount: string): Promise<void> {
  await injectCostResults([
    {
      _match: { TimePeriod: { Start: query.start, End: query.end } },
      ResultsByTime: [
        {
          TimePeriod: { Start: query.start, End: query.end },
          Total: {},
          Groups: [{ Keys: ['USE1-TimedStorage-ByteHrs'], Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } } }],
          Estimated: false,
        },
      ],
    },
  ]);
}


describeWithServices('CachedCosts over Redis and moto', () => {
  const redisClients: Redis[] = [];
  afterAll(() => redisClients.forEach((client) => client.disconnect()));

  function setup(options: { now: () => Date; redis?: Redis; logger?: ReturnType<typeof silentLogger> }) {
    const redis = options.redis ?? new Redis(redisUrl());
    redisClients.push(redis);
    const { costExplorer } = createTestAwsClients();
    const counter = countCommands(costExplorer);
    const logger = options.logger ?? silentLogger();
    const cache = new RedisCache(redis, { keyPrefix: `test:${Math.random().toString(36).slice(2)}:`, timeoutMs: 300 });
    const costs = new CachedCosts(new CostExplorerCosts(costExplorer, logger, options.now), cache, { cacheHours: 6, logger });
    return { costs, counter, cache };
  }

  it('answers a second identical query from Redis, keeping the time the figures are from', async () => {
    const query = uniqueQuery();
    await seedOneDay(query, '2.50');
    const firstFetch = new Date('2026-03-01T06:00:00Z');
    const { costs, counter, cache } = setup({ now: () => firstFetch });
    const first = await costs.getDailyCost(query);
    expect(counter.count('GetCostAndUsage')).toBe(1);

    // Another process (same Redis, its own clock and client) reads the cached answer.
    const laterClients = createTestAwsClients();
    const laterCounter = countCommands(laterClients.costExplorer);
    const later = new CachedCosts(new CostExplorerCosts(laterClients.costExplorer, silentLogger(), () => new Date('2026-03-01T09:00:00Z')), cache, {
      cacheHours: 6,
      logger: silentLogger(),
    });
    const second = await later.getDailyCost(query);
    expect(laterCounter.count('GetCostAndUsage')).toBe(0);
    expect(second).toEqual(first);
    expect(second.fetchedAt).toEqual(firstFetch);
    expect(second.days).toEqual([{ date: query.start, total: 2.5, groups: { 'USE1-TimedStorage-ByteHrs': 2.5 } }]);
  });

  it('stores the answer with the configured lifetime', async () => {
    const query = uniqueQuery();
    await seedOneDay(query, '1.00');
    const redis = new Redis(redisUrl());
    const prefix = `test:${Math.random().toString(36).slice(2)}:`;
    redisClients.push(redis);
    const { costExplorer } = createTestAwsClients();
    const costs = new CachedCosts(new CostExplorerCosts(costExplorer, silentLogger(), () => new Date()), new RedisCache(redis, { keyPrefix: prefix }), {
      cacheHours: 2,
      logger: silentLogger(),
    });
    await costs.getDailyCost(query);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toHaveLength(1);
    const ttl = await redis.ttl(keys[0]!);
    expect(ttl).toBeGreaterThan(2 * 3600 - 10);
    expect(ttl).toBeLessThanOrEqual(2 * 3600);
  });

  it('coalesces 20 concurrent identical calls into one Cost Explorer request', async () => {
    const query = uniqueQuery();
    await seedOneDay(query, '3.00');
    const { costs, counter } = setup({ now: () => new Date() });
    const answers = await Promise.all(Array.from({ length: 20 }, () => costs.getDailyCost(query)));
    expect(counter.count('GetCostAndUsage')).toBe(1);
    for (const answer of answers) expect(answer.days[0]!.total).toBe(3);
  });

  it('still answers, coalesced, when Redis is unreachable, and warns', async () => {
    const query = uniqueQuery();
    await seedOneDay(query, '4.00');
    const deadRedis = new Redis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    deadRedis.on('error', () => undefined);
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream });
    const { costs, counter } = setup({ now: () => new Date(), redis: deadRedis, logger });
    const answers = await Promise.all(Array.from({ length: 20 }, () => costs.getDailyCost(query)));
    expect(counter.count('GetCostAndUsage')).toBe(1);
    for (const answer of answers) expect(answer.days[0]!.total).toBe(4);
    expect(lines.some((line) => line.includes('"level":40') && line.includes('cost cache'))).toBe(true);
  });
});
