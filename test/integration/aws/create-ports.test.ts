import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { RedisCache } from '../../../src/lib/redis-cache.js';
import { createBucket, injectCostResults, putObjects, putStorageMetrics, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';

describeWithServices('createAwsPorts', () => {
  const redis: Redis[] = [];
  afterAll(() => redis.forEach((r) => r.disconnect()));

  it('wires every port to the clients it is given', async () => {
    const bucket = uniqueBucketName('ports');
    await createBucket(bucket, { versioning: 'Enabled', tags: { app: 'surgicase' } });
    await putObjects(bucket, [{ key: 'a.pdf', size: 3, ageDays: 1 }]);
    await putStorageMetrics(bucket, { days: 1, sizeBytesByStorageType: { StandardStorage: 3 }, objects: 1 });
    const client = new Redis(redisUrl());
    redis.push(client);
    const now = new Date();
    const ports = createAwsPorts({
      clients: createTestAwsClients(),
      cache: new RedisCache(client, { keyPrefix: `test:${Math.random()}:` }),
      config: { costs: { cacheHours: 1 } },
      logger: silentLogger(),
      now: () => now,
    });
    const facts = await ports.facts.getFacts(bucket);
    expect(facts).toMatchObject({ versioning: 'Enabled', tags: { app: 'surgicase' }, problems: [] });
    const listing = await ports.listing.listNewest(bucket, { limit: 5, scanBudget: 100 });
    expect(listing.objects.map((o) => o.key)).toEqual(['a.pdf']);
    const metrics = await ports.metrics.getMetricData(
      [
        {
          id: 'size',
          namespace: 'AWS/S3',
          metricName: 'BucketSizeBytes',
          dimensions: [
            { name: 'BucketName', value: bucket },
            { name: 'StorageType', value: 'StandardStorage' },
          ],
          stat: 'Average',
          periodSeconds: 86_400,
        },
      ],
      { start: new Date(Date.now() - 2 * 86_400_000), end: new Date() },
    );
    expect(metrics.get('size')!.points.map((p) => p.value)).toEqual([3]);
    const day = new Date(Date.UTC(1990, 0, 1) + Math.floor(Math.random() * 3_000) * 86_400_000).toISOString().slice(0, 10);
    const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
    await injectCostResults([
      {
        _match: { TimePeriod: { Start: day, End: next } },
        ResultsByTime: [{ TimePeriod: { Start: day, End: next }, Total: {}, Groups: [{ Keys: ['USE1-Requests-Tier2'], Metrics: { UnblendedCost: { Amount: '0.07', Unit: 'USD' } } }] }],
      },
    ]);
    const costs = await ports.costs.getDailyCost({ start: day, end: next, groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' } });
    expect(costs).toEqual({ days: [{ date: day, total: 0.07, groups: { 'USE1-Requests-Tier2': 0.07 } }], currency: 'USD', fetchedAt: now });
  });
});
