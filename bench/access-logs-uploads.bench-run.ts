// `/s3 uploads --since 1h` from the access log with 1,000 and then 100,000 older log objects in
// the log bucket (a third in each key layout): the time should barely change, since listing starts
// at the window (StartAfter, or the window's day folders by EventTime). Reports the ratio, the
// call counts per answer at both sizes, and a floor: one bare ListObjectsV2 with the answer's
// StartAfter, whose own growth is moto's (it walks every key of the bucket for each listing).
// Fails only on wrong answers or on call counts that change with the bucket's size.
// Knobs: BENCH_OLDER_LOG_OBJECTS (the larger size, default 100,000), BENCH_UPLOADS_RUNS (default 5).
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { simpleStartAfter } from '../src/access-logs/key-format.js';
import { createAwsPorts } from '../src/aws/create-ports.js';
import type { BucketConfig } from '../src/config/schema.js';
import { silentLogger } from '../src/lib/logger.js';
import { gatherUploads } from '../src/reports/uploads.js';
import { logLine } from '../test/fixtures/access-logs/log-lines.js';
import { countCommands } from '../test/integration/aws/command-counter.js';
import { type LogKeyFormat, logObjectKey, putLogObjects, type SeededLogObject, TEST_ACCOUNT } from '../test/integration/access-logs/seed-logs.js';
import { createBucket, uniqueBucketName } from '../test/helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../test/helpers/services.js';
import { fixed, markdownTable, median, runMeta, writeResult } from './lib/results.js';
import { MemoryCache } from '../test/helpers/memory-cache.js';

const SMALL = 1_000;
const LARGE = Number(process.env.BENCH_OLDER_LOG_OBJECTS ?? 100_000);
const RUNS = Number(process.env.BENCH_UPLOADS_RUNS ?? 5);
const HOUR = 3_600_000;

describeWithServices(
  'benchmark: /s3 uploads --since 1h against 1,000 and 100,000 older log objects',
  () => {
    const now = new Date();
    const logBucket = uniqueBucketName('bench-access-logs');
    const formats: (LogKeyFormat & { name: string })[] = [
      { name: 'simple', sourceBucket: uniqueBucketName('bench-src-simple'), prefix: 'simple/', partitioned: false },
      { name: 'partitioned, DeliveryTime', sourceBucket: uniqueBucketName('bench-src-part-dt'), prefix: 'part-dt/', partitioned: true, partitionDateSource: 'DeliveryTime' },
      { name: 'partitioned, EventTime', sourceBucket: uniqueBucketName('bench-src-part-ev'), prefix: 'part-ev/', partitioned: true, partitionDateSource: 'EventTime' },
    ];
    const windowStart = new Date(now.getTime() - HOUR);
    /** The bare listings the answers make with a StartAfter: the floor of any StartAfter listing on moto. */
    const todayFolder = (f: LogKeyFormat) => `${f.prefix}${TEST_ACCOUNT}/us-east-1/${f.sourceBucket}/${now.toISOString().slice(0, 10).replaceAll('-', '/')}/`;
    const floors = [
      { name: 'floor: one bare ListObjectsV2, simple prefix and StartAfter', prefix: formats[0]!.prefix, startAfter: simpleStartAfter(formats[0]!.prefix, windowStart) },
      { name: "floor: one bare ListObjectsV2, DeliveryTime day folder and StartAfter", prefix: todayFolder(formats[1]!), startAfter: simpleStartAfter(todayFolder(formats[1]!), windowStart) },
    ];
    const clients = createTestAwsClients();
    const calls = countCommands(clients.s3);
    let seeded = 0;
    const windowKeys: string[] = [];
    const seedSeconds: Record<number, number> = {};

    /**
     * Older objects `from`..`to` (exclusive), spread over the 30 days before the window, taking
     * the layouts in turn; each is stamped with its delivery time, as S3's LastModified would be.
     */
    async function seedOlder(from: number, to: number): Promise<void> {
      const t0 = performance.now();
      const span = 30 * 24 * HOUR;
      const objects: SeededLogObject[] = [];
      for (let i = from; i < to; i += 1) {
        const f = formats[i % formats.length]!;
        const delivered = new Date(now.getTime() - 2 * HOUR - Math.floor((i / LARGE) * span));
        const key = logObjectKey(f, delivered, i.toString(16).toUpperCase().padStart(16, '0'), new Date(delivered.getTime() - 5 * 60_000));
        // Tiny bodies: the benchmark is about finding objects, and seeding 100,000 in moto is slow.
        objects.push({ key, body: '', delivered });
      }
      await putLogObjects(clients.s3, logBucket, objects, 32);
      seeded = to;
      seedSeconds[to] = (performance.now() - t0) / 1000;
    }

    beforeAll(async () => {
      for (const f of formats) {
        const logging = { targetBucket: logBucket, targetPrefix: f.prefix, partitioned: f.partitioned, ...(f.partitionDateSource ? { partitionDateSource: f.partitionDateSource } : {}) };
        await createBucket(f.sourceBucket, { logging });
      }
      // The window: four objects per layout delivered in the last hour, two uploads each.
      const window: SeededLogObject[] = [];
      for (const f of formats) {
        for (const minutes of [10, 20, 30, 40]) {
          const delivered = new Date(now.getTime() - minutes * 60_000);
          const at = new Date(delivered.getTime() - 5 * 60_000);
          const lines = [
            logLine({ bucket: f.sourceBucket, at, operation: 'REST.PUT.OBJECT', key: `cases/${minutes}.pdf`, status: 200, size: 2048 }),
            logLine({ bucket: f.sourceBucket, at, operation: 'REST.PUT.OBJECT', key: `denied/${minutes}.pdf`, status: 403, error: 'AccessDenied' }),
          ];
          window.push({ key: logObjectKey(f, delivered, undefined, at), body: `${lines.join('\n')}\n`, delivered });
        }
      }
      await putLogObjects(clients.s3, logBucket, window);
      windowKeys.push(...window.map((o) => o.key));
      await seedOlder(0, SMALL);
    }, 10 * 60_000);

    afterAll(() => {
      clients.s3.destroy();
      clients.cloudWatch.destroy();
      clients.costExplorer.destroy();
    });

    const bucketConfig = (name: string): BucketConfig => ({ name, testPrefix: '_s3-chatops/test/', requestMetricsFilterId: 'EntireBucket' });

    /** Median time of `RUNS` answers for one format, each with a cold counts cache. */
    async function measure(f: (typeof formats)[number]): Promise<{ ms: number; gets: number; lists: number }> {
      const times: number[] = [];
      let gets = 0;
      let lists = 0;
      for (let i = 0; i <= RUNS; i += 1) {
        const ports = createAwsPorts({ clients, cache: new MemoryCache(), config: { costs: { cacheHours: 6 } }, logger: silentLogger(), now: () => now });
        const getsBefore = calls.count('GetObject');
        const listsBefore = calls.count('ListObjectsV2');
        const t0 = performance.now();
        const data = await gatherUploads(ports, bucketConfig(f.sourceBucket), now, { limit: 10, sinceMs: HOUR, scanBudget: 10_000 });
        const ms = performance.now() - t0;
        expect(data.accessLog).toMatchObject({ total: 8, failed: 4, source: { objects: 4 } });
        gets = calls.count('GetObject') - getsBefore;
        lists = calls.count('ListObjectsV2') - listsBefore;
        if (i > 0) times.push(ms); // the first run warms the SDK and the JIT
      }
      return { ms: median(times), gets, lists };
    }

    /** Median time of `RUNS` bare listings with an answer's prefix and StartAfter (after one warm-up). */
    async function measureFloor(floor: (typeof floors)[number]): Promise<{ ms: number; gets: number; lists: number }> {
      const times: number[] = [];
      for (let i = 0; i <= RUNS; i += 1) {
        const t0 = performance.now();
        const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: logBucket, Prefix: floor.prefix, StartAfter: floor.startAfter }));
        const ms = performance.now() - t0;
        expect(page.KeyCount).toBe(windowKeys.filter((k) => k.startsWith(floor.prefix) && k > floor.startAfter).length);
        if (i > 0) times.push(ms);
      }
      return { ms: median(times), gets: 0, lists: 1 };
    }

    it('answers in about the same time with 100× the older log objects (reported, not asserted), with the same calls', async () => {
      // One layout at a time, so the call counts are each answer's own.
      const measureAll = async () => {
        const out: Record<string, Awaited<ReturnType<typeof measure>>> = {};
        for (const f of formats) out[f.name] = await measure(f);
        for (const floor of floors) out[floor.name] = await measureFloor(floor);
        return out;
      };
      const small = await measureAll();
      await seedOlder(SMALL, LARGE);
      const large = await measureAll();
      const calls = (c: { gets: number; lists: number }) => `${c.gets} / ${c.lists}`;
      const rows = [...formats.map((f) => f.name), ...floors.map((f) => f.name)].map((name) => {
        const s = small[name]!;
        const l = large[name]!;
        const same = s.gets === l.gets && s.lists === l.lists;
        return [name, fixed(s.ms), fixed(l.ms), fixed(l.ms / s.ms, 2), same ? `${calls(l)} at both sizes` : `${calls(s)}, then ${calls(l)}`];
      });
      const table = [
        `/s3 uploads --since 1h from the access log, median of ${RUNS} cold-cache runs (moto on this machine)`,
        '',
        markdownTable(['key format', `ms with ${SMALL.toLocaleString('en-US')} older`, `ms with ${seeded.toLocaleString('en-US')} older`, 'ratio', 'GetObject / ListObjectsV2 per answer'], rows),
        '',
        `seeding: ${SMALL.toLocaleString('en-US')} objects in ${fixed(seedSeconds[SMALL] ?? 0)} s, then ${(LARGE - SMALL).toLocaleString('en-US')} more in ${fixed(seedSeconds[LARGE] ?? 0)} s (32 PutObject at a time, empty bodies)`,
        'EventTime keys carry only the events\' day, so its answers list the window\'s whole day folders: their ListObjectsV2 pages follow the objects of those days, never the bucket.',
      ].join('\n');
      const file = writeResult('access-logs-uploads', { meta: runMeta(), table, small, large, seedSeconds, olderObjects: seeded });
      process.stdout.write(`\n${table}\nJSON: ${file}\n`);
      // The product's own work does not grow with the log bucket: the same objects read, and the same
      // listings where a StartAfter applies. By EventTime a day folder is listed whole, so its pages
      // can grow by the objects delivered earlier on the window's days, and only its reads are checked.
      for (const f of formats) {
        expect(large[f.name]!.gets, `${f.name}: GetObject per answer`).toBe(small[f.name]!.gets);
        if (f.partitionDateSource !== 'EventTime') expect(large[f.name]!.lists, `${f.name}: ListObjectsV2 per answer`).toBe(small[f.name]!.lists);
      }
    });
  },
);
