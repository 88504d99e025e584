/**
 * On moto: a log bucket holding 30 days of log objects in both key formats. `/s3 uploads` and
 * `/s3 errors` over 24 h read only that window's objects (GetObject counted) and report the
 * right uploads, failures and 403s; a second ask reads nothing (counts cached in Redis).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findDeniedRequests } from '../../../src/access-logs/denied.js';
import { readBucketAccessLog } from '../../../src/access-logs/for-bucket.js';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import type { BucketConfig } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { RedisCache } from '../../../src/lib/redis-cache.js';
import { renderText } from '../../../src/render/text/index.js';
import { buildErrors, gatherErrors } from '../../../src/reports/errors.js';
import { buildUploads, gatherUploads } from '../../../src/reports/uploads.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { countCommands } from '../aws/command-counter.js';
import { logObjectKey, putLogObjects } from './seed-logs.js';

const HOUR = 3_600_000;
const APP = 'arn:aws:sts::123456789012:assumed-role/App/i-0ab';
const INTRUDER = 'arn:aws:sts::123456789012:assumed-role/Contractor/laptop-7';

describeWithServices('access logs on moto: uploads and errors read only the window', () => {
  const now = new Date();
  const hoursAgo = (h: number) => new Date(now.getTime() - h * HOUR);
  const logBucket = uniqueBucketName('access-logs');
  const formats = [
    { name: 'simple', bucket: uniqueBucketName('src-simple'), prefix: 'simple/', partitioned: false },
    { name: 'partitioned', bucket: uniqueBucketName('src-part'), prefix: 'part/', partitioned: true },
  ];
  let redis: Redis;
  const clients = createTestAwsClients();
  const gets = countCommands(clients.s3);

  beforeAll(async () => {
    redis = new Redis(redisUrl());
    for (const f of formats) await createBucket(f.bucket, { logging: { targetBucket: logBucket, targetPrefix: f.prefix, partitioned: f.partitioned } });
    const objects: { key: string; body: string }[] = [];
    for (const f of formats) {
      const key = (delivered: Date) => logObjectKey({ prefix: f.prefix, partitioned: f.partitioned, sourceBucket: f.bucket }, delivered);
      const line = (spec: Omit<Parameters<typeof logLine>[0], 'bucket'>) => logLine({ bucket: f.bucket, ...spec });
      // One object every 12 h for 30 days; the two newest are in a 24 h window.
      for (let h = 1; h < 30 * 24; h += 12) {
        const delivered = hoursAgo(h);
        const body =
          h === 1
            ? [
                line({ at: hoursAgo(1.5), operation: 'REST.PUT.OBJECT', key: 'cases/a.pdf', status: 200, size: 2048, requester: APP, ip: '10.0.0.1' }),
                line({ at: hoursAgo(1.4), operation: 'REST.PUT.OBJECT', key: 'secrets/x.txt', status: 403, error: 'AccessDenied', requester: INTRUDER, ip: '203.0.113.9' }),
                line({ at: hoursAgo(1.3), operation: 'REST.POST.UPLOAD', key: 'videos/big.mp4', status: 200, size: 9_000_000, requester: APP, ip: '10.0.0.1' }),
                line({ at: hoursAgo(1.2), operation: 'REST.GET.OBJECT', key: 'cases/none.pdf', status: 404, error: 'NoSuchKey', requester: APP, ip: '10.0.0.1' }),
              ]
            : h === 13
              ? [
                  line({ at: hoursAgo(13.5), operation: 'REST.PUT.OBJECT', key: 'cases/b.pdf', status: 503, error: 'SlowDown', requester: APP, ip: '10.0.0.2' }),
                  line({ at: hoursAgo(13.4), operation: 'REST.COPY.OBJECT', key: 'cases/c.pdf', status: 200, size: 4096, requester: APP, ip: '10.0.0.2' }),
                ]
              : [
                  line({ at: hoursAgo(h + 0.5), operation: 'REST.PUT.OBJECT', key: `old/${h}.pdf`, status: 200, size: 1 }),
                  line({ at: hoursAgo(h + 0.4), operation: 'REST.GET.OBJECT', key: `old/${h}.pdf`, status: 403, error: 'AccessDenied', requester: INTRUDER }),
                ];
        objects.push({ key: key(delivered), body: `${body.join('\n')}\n` });
      }
    }
    await putLogObjects(clients.s3, logBucket, objects);
  });

  afterAll(async () => {
    redis?.disconnect();
    clients.s3.destroy();
    clients.cloudWatch.destroy();
    clients.costExplorer.destroy();
  });

  const bucketConfig = (name: string): BucketConfig => ({ name, testPrefix: '_s3-chatops/test/', requestMetricsFilterId: 'EntireBucket' });
  const ports = () => createAwsPorts({ clients, cache: new RedisCache(redis), config: { costs: { cacheHours: 6 } }, logger: silentLogger(), now: () => now });

  for (const f of formats) {
    it(`${f.name} keys: uploads over 24 h reads two log objects and shows who uploaded and what failed`, async () => {
      const before = gets.count('GetObject');
      const data = await gatherUploads(ports(), bucketConfig(f.bucket), now, { limit: 10, sinceMs: 24 * HOUR, scanBudget: 10_000 });
      expect(gets.count('GetObject') - before).toBe(2);
      const uploads = data.accessLog!;
      expect(uploads.shown.map((u) => [u.key, u.requester, u.failed ? u.error : u.status])).toEqual([
        ['videos/big.mp4', 'assumed-role App/i-0ab', 200],
        ['secrets/x.txt', 'assumed-role Contractor/laptop-7', 'AccessDenied'],
        ['cases/a.pdf', 'assumed-role App/i-0ab', 200],
        ['cases/c.pdf', 'assumed-role App/i-0ab', 200],
        ['cases/b.pdf', 'assumed-role App/i-0ab', 'SlowDown'],
      ]);
      expect(uploads).toMatchObject({ total: 5, failed: 2, source: { objects: 2 } });
      expect(renderText(buildUploads(data).message)).toContain('FAILED 403 AccessDenied');

      // Asked again (another command, another tick): every object's counts come from Redis.
      const again = gets.count('GetObject');
      const second = await gatherUploads(ports(), bucketConfig(f.bucket), now, { limit: 10, sinceMs: 24 * HOUR, scanBudget: 10_000 });
      expect(gets.count('GetObject')).toBe(again);
      expect(second.accessLog).toMatchObject({ total: 5, failed: 2, source: { fromCache: 2, parsed: 0 } });
    });

    it(`${f.name} keys: errors over 24 h split the 403 and 404 and name who was behind them`, async () => {
      const data = await gatherErrors(ports(), bucketConfig(f.bucket), now, 24 * HOUR);
      expect(data.accessLog).toMatchObject({
        clientErrors: 2,
        serverErrors: 1,
        clientByCode: [
          { label: '403 AccessDenied', count: 1 },
          { label: '404 NoSuchKey', count: 1 },
        ],
        topRequesters: [
          { label: 'assumed-role App/i-0ab', count: 1 },
          { label: 'assumed-role Contractor/laptop-7', count: 1 },
        ],
        source: { objects: 2 },
      });
      expect(renderText(buildErrors(data).message)).toContain('403 AccessDenied ×1, 404 NoSuchKey ×1');
    });

    it(`${f.name} keys: the access-denied check fires on the seeded 403 and names the requester`, async () => {
      const p = ports();
      const facts = await p.facts.getFacts(f.bucket);
      const log = await readBucketAccessLog(p, facts, { start: hoursAgo(24), end: now }, silentLogger());
      if (!log.ok) throw new Error(log.reason);
      const finding = findDeniedRequests(log.window.errors);
      expect(finding.fires).toBe(true);
      expect(finding.requests.map((r) => [r.requesterLabel, r.ip, r.operation, r.key])).toEqual([
        ['assumed-role Contractor/laptop-7', '203.0.113.9', 'REST.PUT.OBJECT', 'secrets/x.txt'],
      ]);
    });
  }
});
