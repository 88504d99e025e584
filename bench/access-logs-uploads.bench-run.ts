// `/s3 uploads --since 1h` from the access log with 1,000 and then 100,000 older log objects in
// the log bucket (half in each key format): the time should barely change, since listing starts
// at the window (StartAfter, date folders). Reports the ratio; fails only on wrong answers.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAwsPorts } from '../src/aws/create-ports.js';
import type { BucketConfig } from '../src/config/schema.js';
import type { CachePort } from '../src/lib/cache.js';
import { silentLogger } from '../src/lib/logger.js';
import { gatherUploads } from '../src/reports/uploads.js';
import { logLine } from '../test/fixtures/access-logs/log-lines.js';
import { countCommands } from '../test/integration/aws/command-counter.js';
import { logObjectKey, putLogObjects } from '../test/integration/access-logs/seed-logs.js';
import { createBucket, uniqueBucketName } from '../test/helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../test/helpers/services.js';
import { fixed, markdownTable, median, runMeta, writeResult } from './lib/results.js';

const SMALL = 1_000;
const LARGE = Number(process.env.BENCH_OLDER_LOG_OBJECTS ?? 100_000);
const RUNS = Number(process.env.BENCH_UPLOADS_RUNS ?? 5);
const HOUR = 3_600_000;

/** A fresh Map per run: every window object is parsed, the cost a cold cache pays. */
class MemoryCache implements CachePort {
  private readonly values = new Map<string, string>();
  async get(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
}

describeWithServices(
  'benchmark: /s3 uploads --since 1h against 1,000 and 100,000 older log objects',
  () => {
    const now = new Date();
    const logBucket = uniqueBucketName('bench-access-logs');
    const formats = [
      { name: 'simple', bucket: uniqueBucketName('bench-src-simple'), prefix: 'simple/', partitioned: false },
      { name: 'partitioned', bucket: uniqueBucketName('bench-src-part'), prefix: 'part/', partitioned: true },
    ];
    const clients = createTestAwsClients();
    const calls = countCommands(clients.s3);
    let seeded = 0;
    const seedSeconds: Record<number, number> = {};

    /** Older objects `from`..`to` (exclusive), spread over the 30 days before the window, alternating formats. */
    async function seedOlder(from: number, to: number): Promise<void> {
      const t0 = performance.now();
      const span = 30 * 24 * HOUR;
      const objects: { key: string; body: string }[] = [];
      for (let i = from; i < to; i += 1) {
        const f = formats[i % 2]!;
        const delivered = new Date(now.getTime() - 2 * HOUR - Math.floor((i / LARGE) * span));
        const key = logObjectKey({ prefix: f.prefix, partitioned: f.partitioned, sourceBucket: f.bucket }, delivered, i.toString(16).toUpperCase().padStart(16, '0'));
        // Tiny bodies: the benchmark is about finding objects, and seeding 100,000 in moto is slow.
        objects.push({ key, body: '' });
      }
      await putLogObjects(clients.s3, logBucket, objects, 32);
      seeded = to;
      seedSeconds[to] = (performance.now() - t0) / 1000;
    }

    beforeAll(async () => {
      for (const f of formats) await createBucket(f.bucket, { logging: { targetBucket: logBucket, targetPrefix: f.prefix, partitioned: f.partitioned } });
      // The window: four objects per format delivered in the last hour, two uploads each.
      const window: { key: string; body: string }[] = [];
      for (const f of formats) {
        for (const minutes of [10, 20, 30, 40]) {
          const delivered = new Date(now.getTime() - minutes * 60_000);
          const at = new Date(delivered.getTime() - 5 * 60_000);
          const lines = [
            logLine({ bucket: f.bucket, at, operation: 'REST.PUT.OBJECT', key: `cases/${minutes}.pdf`, status: 200, size: 2048 }),
            logLine({ bucket: f.bucket, at, operation: 'REST.PUT.OBJECT', key: `denied/${minutes}.pdf`, status: 403, error: 'AccessDenied' }),
          ];
          window.push({ key: logObjectKey({ prefix: f.prefix, partitioned: f.partitioned, sourceBucket: f.bucket }, delivered), body: `${lines.join('\n')}\n` });
        }
      }
      await putLogObjects(clients.s3, logBucket, window);
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
        const data = await gatherUploads(ports, bucketConfig(f.bucket), now, { limit: 10, sinceMs: HOUR, scanBudget: 10_000 });
        const ms = performance.now() - t0;
        expect(data.accessLog).toMatchObject({ total: 8, failed: 4, source: { objects: 4 } });
        gets = calls.count('GetObject') - getsBefore;
        lists = calls.count('ListObjectsV2') - listsBefore;
        if (i > 0) times.push(ms); // the first run warms the SDK and the JIT
      }
      return { ms: median(times), gets, lists };
    }

    it('answers in about the same time with 100× the older log objects (reported, not asserted)', async () => {
      // One format at a time, so the call counts are each answer's own.
      const measureAll = async () => {
        const out: Record<string, Awaited<ReturnType<typeof measure>>> = {};
        for (const f of formats) out[f.name] = await measure(f);
        return out;
      };
      const small = await measureAll();
      await seedOlder(SMALL, LARGE);
      const large = await measureAll();
      const rows = formats.map((f) => {
        const s = small[f.name]!;
        const l = large[f.name]!;
        return [f.name, fixed(s.ms), fixed(l.ms), fixed(l.ms / s.ms, 2), `${l.gets} / ${l.lists}`];
      });
      const table = [
        `/s3 uploads --since 1h from the access log, median of ${RUNS} cold-cache runs (moto on this machine)`,
        '',
        markdownTable(['key format', `ms with ${SMALL.toLocaleString('en-US')} older`, `ms with ${seeded.toLocaleString('en-US')} older`, 'ratio', 'GetObject / ListObjectsV2 per answer'], rows),
        '',
        `seeding: ${SMALL.toLocaleString('en-US')} objects in ${fixed(seedSeconds[SMALL] ?? 0)} s, then ${(LARGE - SMALL).toLocaleString('en-US')} more in ${fixed(seedSeconds[LARGE] ?? 0)} s (32 PutObject at a time, empty bodies)`,
      ].join('\n');
      const file = writeResult('access-logs-uploads', { meta: runMeta(), table, small, large, seedSeconds, olderObjects: seeded });
      process.stdout.write(`\n${table}\nJSON: ${file}\n`);
    });
  },
);
