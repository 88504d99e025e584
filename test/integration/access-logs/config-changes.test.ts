/**
 * On moto and Redis: the bucket's server access log as a second source of configuration changes.
 * A `REST.PUT.BUCKETPOLICY` only the log holds is listed, labelled as from the server access log;
 * one CloudTrail also tells (same principal, same moment) is listed once, from CloudTrail.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import { fileConfigSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { RedisCache } from '../../../src/lib/redis-cache.js';
import { renderText } from '../../../src/render/text/index.js';
import { buildChanges, gatherChanges } from '../../../src/reports/changes.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { logObjectKey, putLogObjects } from './seed-logs.js';

const MINUTE = 60_000;
const CONTRACTOR = 'arn:aws:sts::123456789012:assumed-role/Contractor/laptop-7';

describeWithServices('configuration changes from the server access log', () => {
  const now = new Date();
  const ago = (m: number) => new Date(now.getTime() - m * MINUTE);
  const bucket = uniqueBucketName('cfg-log-src');
  const logBucket = uniqueBucketName('cfg-log-dst');
  const clients = createTestAwsClients();
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    // Recorded by CloudTrail too: PutBucketLogging by the test's IAM user, now.
    await createBucket(bucket, { logging: { targetBucket: logBucket, targetPrefix: 'src/' } });
    await putLogObjects(clients.s3, logBucket, [
      {
        key: logObjectKey({ prefix: 'src/', partitioned: false, sourceBucket: bucket }, ago(1)),
        body: `${[
          logLine({ bucket, at: ago(40), operation: 'REST.PUT.BUCKETPOLICY', key: '-', status: 204, requester: CONTRACTOR, ip: '203.0.113.50' }),
          logLine({ bucket, at: ago(30), operation: 'REST.DELETE.ENCRYPTION', key: '-', status: 403, error: 'AccessDenied', requester: CONTRACTOR, ip: '203.0.113.50' }),
          logLine({ bucket, at: ago(20), operation: 'REST.PUT.OBJECT', key: 'cases/a.pdf', status: 200, size: 10 }),
          logLine({ bucket, at: now, operation: 'REST.PUT.LOGGING_STATUS', key: '-', status: 200, requester: 'arn:aws:iam::123456789012:user/testing' }),
        ].join('\n')}\n`,
      },
    ]);
  });
  afterAll(() => redis?.disconnect());

  it('lists the calls only the log holds, labelled, and the rest once from CloudTrail', async () => {
    const config = fileConfigSchema.parse({ buckets: [{ name: bucket }] });
    const ports = createAwsPorts({ clients, cache: new RedisCache(redis, { keyPrefix: `test:${bucket}:` }), config: { costs: { cacheHours: 1 } }, logger: silentLogger(), now: () => now });
    const report = buildChanges(await gatherChanges(ports, config.buckets[0]!, new Date(now.getTime() + MINUTE), { sinceMs: 3_600_000 }));
    const rows = report.data.changes.map((c) => [c.call, c.who, c.source]);
    expect(rows).toEqual([
      ['PutBucketLogging', 'user testing', 'cloudtrail'],
      ['CreateBucket', 'user testing', 'cloudtrail'],
      ['REST.DELETE.ENCRYPTION', 'assumed-role Contractor/laptop-7', 'access-log'],
      ['REST.PUT.BUCKETPOLICY', 'assumed-role Contractor/laptop-7', 'access-log'],
    ]);
    expect(rows.map((r) => r[0])).not.toContain('REST.PUT.LOGGING_STATUS');
    const text = renderText(report.message);
    expect(text).toContain('bucket policy set (from the server access log)');
    expect(text).toContain('attempt: REST.DELETE.ENCRYPTION refused (AccessDenied) (from the server access log)');
    expect(text).toContain(`Also read: the server access log in ${logBucket}, 3 configuration calls`);
  });
});
