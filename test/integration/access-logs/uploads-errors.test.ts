/**
 * On moto: a log bucket holding 30 days of log objects in every key layout (simple, partitioned by
 * EventTime, partitioned by DeliveryTime), each object stamped with its delivery time.
 * `/s3 uploads` and `/s3 errors` read only the window's objects (GetObject and ListObjectsV2
 * counted) and report the right uploads, failures and 403s; a second ask reads nothing (counts
 * cached in Redis).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findDeniedRequests } from '../../../src/access-logs/denied.js';
import { readBucketAccessLog } from '../../../src/reports/access-log-read.js';
import { createAwsPorts } from '../../../src/aws/create-ports.js';
import type { BucketConfig } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { RedisCache } from '../../../src/lib/redis-cache.js';
import { renderText } from '../../../src/render/text/index.js';
import { buildErrors, gatherErrors } from '../../../src/reports/errors.js';
import { buildUploads, gatherUploads } from '../../../src/reports/uploads.js';
import { logLine, type LineSpec } from '../../fixtures/access-logs/log-lines.js';
import { createBucket, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices, redisUrl } from '../../helpers/services.js';
import { countCommands } from '../aws/command-counter.js';
import { type LogKeyFormat, logObjects, putLogObjects, type SeededLogObject } from './seed-logs.js';

const HOUR = 3_600_000;
const APP = 'arn:aws:sts::123456789012:assumed-role/App/i-0ab';
const APP_LABEL = 'assumed-role App/i-0ab';
const INTRUDER = 'arn:aws:sts::123456789012:assumed-role/Contractor/laptop-7';
const INTRUDER_LABEL = 'assumed-role Contractor/laptop-7';
const UPLOADS = new Set(['REST.PUT.OBJECT', 'REST.POST.UPLOAD', 'REST.COPY.OBJECT']);

type Event = Omit<LineSpec, 'bucket'> & { who: string };
interface Delivery {
  delivered: Date;
  events: Event[];
}

describeWithServices('access logs on moto: uploads and errors read only the window', () => {
  const now = new Date();
  const hoursAgo = (h: number) => new Date(now.getTime() - h * HOUR);
  const logBucket = uniqueBucketName('access-logs');
  const formats: (LogKeyFormat & { name: string })[] = [
    { name: 'simple', sourceBucket: uniqueBucketName('src-simple'), prefix: 'simple/', partitioned: false },
    { name: 'partitioned by EventTime', sourceBucket: uniqueBucketName('src-part-ev'), prefix: 'part-ev/', partitioned: true, partitionDateSource: 'EventTime' },
    { name: 'partitioned by DeliveryTime', sourceBucket: uniqueBucketName('src-part-dt'), prefix: 'part-dt/', partitioned: true, partitionDateSource: 'DeliveryTime' },
  ];

  // The same requests for every source bucket.
  const todayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const lastMinuteOfYesterday = new Date(todayStart.getTime() - 60_000);
  const deliveries: Delivery[] = [
    {
      delivered: hoursAgo(0.5),
      events: [
        { at: hoursAgo(0.9), operation: 'REST.PUT.OBJECT', key: 'cases/a.pdf', status: 200, size: 2048, requester: APP, who: APP_LABEL, ip: '10.0.0.1' },
        { at: hoursAgo(0.8), operation: 'REST.PUT.OBJECT', key: 'secrets/x.txt', status: 403, error: 'AccessDenied', requester: INTRUDER, who: INTRUDER_LABEL, ip: '203.0.113.9' },
        { at: hoursAgo(0.7), operation: 'REST.POST.UPLOAD', key: 'videos/big.mp4', status: 200, size: 9_000_000, requester: APP, who: APP_LABEL, ip: '10.0.0.1' },
        { at: hoursAgo(0.6), operation: 'REST.GET.OBJECT', key: 'cases/none.pdf', status: 404, error: 'NoSuchKey', requester: APP, who: APP_LABEL, ip: '10.0.0.1' },
      ],
    },
    {
      delivered: hoursAgo(12.5),
      events: [
        { at: hoursAgo(13), operation: 'REST.PUT.OBJECT', key: 'cases/b.pdf', status: 503, error: 'SlowDown', requester: APP, who: APP_LABEL, ip: '10.0.0.2' },
        { at: hoursAgo(12.9), operation: 'REST.COPY.OBJECT', key: 'cases/c.pdf', status: 200, size: 4096, requester: APP, who: APP_LABEL, ip: '10.0.0.2' },
      ],
    },
    // Yesterday's last minute, always inside 24 h: by EventTime it lands in yesterday's folder,
    // which a listing that starts after the window's start inside that folder would miss.
    {
      delivered: new Date(Math.min(now.getTime() - 60_000, lastMinuteOfYesterday.getTime() + 30 * 60_000)),
      events: [{ at: lastMinuteOfYesterday, operation: 'REST.PUT.OBJECT', key: 'cases/midnight.pdf', status: 200, size: 512, requester: APP, who: APP_LABEL, ip: '10.0.0.3' }],
    },
  ];
  // One older object every 12 h for 30 days, delivered before the window.
  for (let h = 24.5; h < 30 * 24; h += 12) {
    deliveries.push({
      delivered: hoursAgo(h),
      events: [
        { at: hoursAgo(h + 0.5), operation: 'REST.PUT.OBJECT', key: `old/${h}.pdf`, status: 200, size: 1, who: APP_LABEL },
        { at: hoursAgo(h + 0.4), operation: 'REST.GET.OBJECT', key: `old/${h}.pdf`, status: 403, error: 'AccessDenied', requester: INTRUDER, who: INTRUDER_LABEL },
      ],
    });
  }
  const seeded = new Map<string, SeededLogObject[]>();

  /** The uploads of `[start, now]` as the report should list them: newest first. */
  const uploadsIn = (start: Date) =>
    deliveries
      .flatMap((d) => d.events)
      .filter((e) => UPLOADS.has(e.operation) && e.at >= start && e.at <= now)
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .map((e) => [e.key, e.who, e.error ?? e.status]);
  /** The log objects delivered in the window: the only ones worth reading. */
  const objectsIn = (f: LogKeyFormat, start: Date) => (seeded.get(f.sourceBucket) ?? []).filter((o) => o.delivered!.getTime() >= start.getTime()).length;

  let redis: Redis;
  const clients = createTestAwsClients();
  const calls = countCommands(clients.s3);

  beforeAll(async () => {
    redis = new Redis(redisUrl());
    const objects: SeededLogObject[] = [];
    for (const f of formats) {
      const logging = { targetBucket: logBucket, targetPrefix: f.prefix, partitioned: f.partitioned, ...(f.partitionDateSource ? { partitionDateSource: f.partitionDateSource } : {}) };
      await createBucket(f.sourceBucket, { logging });
      const own = deliveries.flatMap((d) => logObjects(f, d.delivered, d.events.map(({ who: _, ...e }) => logLine({ bucket: f.sourceBucket, ...e }))));
      seeded.set(f.sourceBucket, own);
      objects.push(...own);
    }
    await putLogObjects(clients.s3, logBucket, objects);
  });

  afterAll(async () => {
    redis?.disconnect();
    clients.release();
  });

  const bucketConfig = (name: string): BucketConfig => ({ name, testPrefix: '_s3-chatops/test/', requestMetricsFilterId: 'EntireBucket' });
  /** Ports over a counts cache of their own in Redis: a fresh prefix starts it cold. */
  const ports = (cachePrefix = 's3-chatops:') =>
    createAwsPorts({ clients, cache: new RedisCache(redis, { keyPrefix: cachePrefix }), config: { costs: { cacheHours: 6 } }, logger: silentLogger(), now: () => now });

  for (const f of formats) {
    it(`${f.name} keys: the bucket's logging configuration names its key layout`, async () => {
      const facts = await ports().facts.getFacts(f.sourceBucket);
      expect(facts.logging).toEqual({ targetBucket: logBucket, targetPrefix: f.prefix, partitioned: f.partitioned, ...(f.partitioned ? { partitionDateSource: f.partitionDateSource } : {}) });
    });

    it(`${f.name} keys: uploads over 24 h read only the window's log objects and show who uploaded and what failed`, async () => {
      const before = calls.count('GetObject');
      const data = await gatherUploads(ports(), bucketConfig(f.sourceBucket), now, { limit: 10, sinceMs: 24 * HOUR, scanBudget: 10_000 });
      const windowObjects = objectsIn(f, hoursAgo(24));
      expect(windowObjects).toBeGreaterThanOrEqual(3);
      expect(calls.count('GetObject') - before).toBe(windowObjects);
      const uploads = data.accessLog!;
      expect(uploads.shown.map((u) => [u.key, u.requester, u.failed ? u.error : u.status])).toEqual(uploadsIn(hoursAgo(24)));
      expect(uploads).toMatchObject({ total: 6, failed: 2, source: { objects: windowObjects } });
      expect(renderText(buildUploads(data).message)).toContain('FAILED 403 AccessDenied');

      // Asked again (another command, another tick): every object's counts come from Redis.
      const again = calls.count('GetObject');
      const second = await gatherUploads(ports(), bucketConfig(f.sourceBucket), now, { limit: 10, sinceMs: 24 * HOUR, scanBudget: 10_000 });
      expect(calls.count('GetObject')).toBe(again);
      expect(second.accessLog).toMatchObject({ total: 6, failed: 2, source: { fromCache: windowObjects, parsed: 0 } });
    });

    it(`${f.name} keys: uploads over 1 h find the last hour's uploads and read only its log objects`, async () => {
      const before = calls.count('GetObject');
      const data = await gatherUploads(ports(`test:${randomUUID()}:`), bucketConfig(f.sourceBucket), now, { limit: 10, sinceMs: HOUR, scanBudget: 10_000 });
      const windowObjects = objectsIn(f, hoursAgo(1));
      expect(calls.count('GetObject') - before).toBe(windowObjects);
      const expected = uploadsIn(hoursAgo(1));
      expect(expected.map(([key]) => key)).toEqual(expect.arrayContaining(['videos/big.mp4', 'secrets/x.txt', 'cases/a.pdf']));
      expect(data.accessLog!.shown.map((u) => [u.key, u.requester, u.failed ? u.error : u.status])).toEqual(expected);
    });

    it(`${f.name} keys: errors over 24 h, from a cold cache, read only the window's log objects, split the 403 and 404 and name who was behind them`, async () => {
      const gets = calls.count('GetObject');
      const lists = calls.count('ListObjectsV2');
      const data = await gatherErrors(ports(`test:${randomUUID()}:`), bucketConfig(f.sourceBucket), now, 24 * HOUR);
      // The report's window starts on a whole minute.
      const start = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 24 * HOUR);
      expect(calls.count('GetObject') - gets).toBe(objectsIn(f, start));
      // Simple keys: one listing from the window's start. Partitioned: the prefix's account
      // folders, then the two day folders a 24 h window touches.
      expect(calls.count('ListObjectsV2') - lists).toBe(f.partitioned ? 3 : 1);
      expect(data.accessLog).toMatchObject({
        clientErrors: 2,
        serverErrors: 1,
        clientByCode: [
          { label: '403 AccessDenied', count: 1 },
          { label: '404 NoSuchKey', count: 1 },
        ],
        topRequesters: [
          { label: APP_LABEL, count: 1 },
          { label: INTRUDER_LABEL, count: 1 },
        ],
        source: { objects: objectsIn(f, start), parsed: objectsIn(f, start), fromCache: 0 },
      });
      expect(renderText(buildErrors(data).message)).toContain('403 AccessDenied ×1, 404 NoSuchKey ×1');
    });

    it(`${f.name} keys: the access-denied check fires on the seeded 403 and names the requester`, async () => {
      const p = ports();
      const facts = await p.facts.getFacts(f.sourceBucket);
      const log = await readBucketAccessLog(p, facts, { start: hoursAgo(24), end: now }, silentLogger());
      if (!log.ok) throw new Error(log.reason);
      const finding = findDeniedRequests(log.window.errors);
      expect(finding.fires).toBe(true);
      expect(finding.requests.map((r) => [r.requesterLabel, r.ip, r.operation, r.key])).toEqual([[INTRUDER_LABEL, '203.0.113.9', 'REST.PUT.OBJECT', 'secrets/x.txt']]);
    });
  }
});
