// Benchmark (issue 3): one alert evaluation tick for 10, 100 and 1,000 buckets against moto, as the
// worker runs it (planChunks, then evaluateChunk per chunk, two at a time like one worker process,
// state committed to Redis). It reports the CloudWatch GetMetricData calls against the floor
// (metrics / 500, rounded up) and against one call per metric, the tick's time, and what the
// monitoring costs a month in CloudWatch at the configured cadence; then a fleet spread over two accounts
// and two regions, whose calls are the sum over accounts × regions of ceil(metrics / 500). It fails only on wrong answers.
import { randomUUID } from 'node:crypto';
import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { Redis } from 'ioredis';
import pLimit from 'p-limit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluateChunk } from '../src/alerts/evaluate.js';
import { bucketSignals, planChunks } from '../src/alerts/plan.js';
import { ALERT_RULES, bucketRules } from '../src/alerts/rules/index.js';
import { AlertStore } from '../src/alerts/store.js';
import { createAwsClients, type AwsClients } from '../src/aws/clients.js';
import { createAwsPorts } from '../src/aws/create-ports.js';
import { fileConfigSchema } from '../src/config/schema.js';
import { silentLogger } from '../src/lib/logger.js';
import { RedisCache } from '../src/lib/redis-cache.js';
import { instrumentAwsClient } from '../src/metrics/aws-middleware.js';
import { botMetrics, type BotMetrics } from '../src/metrics/definitions.js';
import { createMetricsRegistry } from '../src/metrics/registry.js';
import { S3_NAMESPACE, storageQueries } from '../src/reports/s3-metrics.js';
import { describeWithServices, motoUrl, redisUrl, TEST_CREDENTIALS, TEST_REGION } from '../test/helpers/services.js';
import { fixed, markdownTable, median, runMeta, writeResult } from './lib/results.js';

const SIZES = (process.env.BENCH_TICK_SIZES ?? '10,100,1000').split(',').map(Number);
/** Buckets of the fleet run: spread over two accounts × two regions (0 skips it). */
const FLEET_SIZE = Number(process.env.BENCH_TICK_FLEET ?? 400);
const OTHER_ACCOUNT = '222222222222';
/** The fleet run's four places: the bot's own account and another, each in two regions. */
const FLEET_PLACES: { account?: string; region: string }[] = [
  { region: TEST_REGION },
  { region: 'eu-west-1' },
  { account: OTHER_ACCOUNT, region: TEST_REGION },
  { account: OTHER_ACCOUNT, region: 'eu-west-1' },
];
/** Minutes of request metrics seeded per bucket: the rules' `for` windows (5 min) and a little more. */
const SEED_MINUTES = Number(process.env.BENCH_TICK_SEED_MINUTES ?? 10);
/** moto's PutMetricData rejects large bodies (100 datums already fail): small batches, a few at a time. */
const PUT_BATCH = Number(process.env.BENCH_TICK_PUT_BATCH ?? 20);
const PUT_CONCURRENCY = 4;
const WARM_TICKS = 3;
/**
 * Datapoints are seeded for one bucket in this many (the failing ones). The tick asks for every
 * bucket's metrics alike, data or not (a bucket without traffic has none in CloudWatch either);
 * seeding all would only slow moto, whose GetMetricData scans every stored datum for each query.
 */
const SEED_EVERY = Number(process.env.BENCH_TICK_SEED_EVERY ?? 10);
/** GetMetricData is billed per metric requested: USD 0.01 per 1,000. */
const USD_PER_METRIC = 0.01 / 1_000;
const CALL_LIMIT = 500;
const DAYS_PER_MONTH = 30;

interface TickMeasure {
  ms: number;
  calls: number;
  metrics: number;
}

interface SizeResult {
  buckets: number;
  /** Accounts × regions the buckets are spread over (1: all in the bot's own account and region). */
  places: number;
  chunks: number;
  requestMetrics: number;
  storageMetrics: number;
  cold: TickMeasure;
  warm: TickMeasure;
  warmRuns: number[];
}

/** Ticks a month of a `*\/N * * * *` cron (the configured default is every 5 minutes). */
function ticksPerMonth(cron: string): number {
  const m = /^\*\/(\d+) \* \* \* \*$/.exec(cron.trim());
  const minutes = m ? Number(m[1]) : cron.trim() === '* * * * *' ? 1 : Number.NaN;
  if (!Number.isFinite(minutes)) throw new Error(`the benchmark reads only "*/N * * * *" cadences, not "${cron}"`);
  return (DAYS_PER_MONTH * 24 * 60) / minutes;
}

async function counted(metrics: BotMetrics): Promise<{ calls: number; metrics: number }> {
  const calls = (await metrics.awsCalls.get()).values.filter((v) => v.labels.service === 'CloudWatch' && v.labels.operation === 'GetMetricData').reduce((s, v) => s + v.value, 0);
  const requested = (await metrics.cloudWatchMetricsRequested.get()).values.reduce((s, v) => s + v.value, 0);
  return { calls, metrics: requested };
}

describeWithServices(
  'benchmark: one alert evaluation tick for 10, 100 and 1,000 buckets',
  () => {
    const run = randomUUID().slice(0, 6);
    let redis: Redis;
    let clients: AwsClients;
    const metrics = botMetrics(createMetricsRegistry({ defaultMetrics: false }));
    const results: SizeResult[] = [];
    const now = new Date(Math.floor(Date.now() / 300_000) * 300_000);

    beforeAll(async () => {
      redis = new Redis(redisUrl());
      clients = createAwsClients({
        region: TEST_REGION,
        endpoint: motoUrl(),
        logger: silentLogger(),
        credentials: { ...TEST_CREDENTIALS },
        instrument: instrumentAwsClient(metrics),
        // moto's STS lets the role be assumed; its CloudWatch keeps each account's and region's datapoints apart.
        accounts: [{ id: OTHER_ACCOUNT, roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/s3-chatops-read` }],
      });
    });
    afterAll(async () => {
      redis?.disconnect();
      clients?.release();
    });

    /** Request metrics for the last minutes and two days of storage metrics, for every bucket, each in its own account and region. */
    async function seed(names: string[], placeOf: (i: number) => { account?: string; region: string } = () => ({ region: TEST_REGION })): Promise<number> {
      const byPlace = new Map<string, { place: { account?: string; region: string }; data: MetricDatum[] }>();
      for (const [i, name] of names.entries()) {
        const place = placeOf(i);
        const key = `${place.account ?? ''}/${place.region}`;
        const data = byPlace.get(key)?.data ?? [];
        byPlace.set(key, { place, data });
        if (i % SEED_EVERY !== 0) continue;
        for (let m = 1; m <= SEED_MINUTES; m += 1) {
          const at = new Date(now.getTime() - m * 60_000);
          const request = (metric: string, value: number, unit: 'Count' | 'Milliseconds'): MetricDatum => ({
            MetricName: metric,
            Dimensions: [
              { Name: 'BucketName', Value: name },
              { Name: 'FilterId', Value: 'EntireBucket' },
            ],
            Value: value,
            Unit: unit,
            Timestamp: at,
          });
          // The seeded buckets are failing, so the tick has alerts to commit.
          data.push(request('AllRequests', 200, 'Count'), request('4xxErrors', 40, 'Count'), request('5xxErrors', 9, 'Count'), request('TotalRequestLatency', 80, 'Milliseconds'));
        }
        for (let d = 1; d <= 2; d += 1) {
          const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - d));
          const storage = (metric: string, type: string, value: number, unit: 'Bytes' | 'Count'): MetricDatum => ({
            MetricName: metric,
            Dimensions: [
              { Name: 'BucketName', Value: name },
              { Name: 'StorageType', Value: type },
            ],
            Value: value,
            Unit: unit,
            Timestamp: day,
          });
          data.push(storage('BucketSizeBytes', 'StandardStorage', 5e9, 'Bytes'), storage('NumberOfObjects', 'AllStorageTypes', 1_000, 'Count'));
        }
      }
      const limit = pLimit(PUT_CONCURRENCY);
      let datums = 0;
      for (const { place, data } of byPlace.values()) {
        const cloudWatch = clients.factory.get('cloudWatch', place);
        const batches: MetricDatum[][] = [];
        for (let i = 0; i < data.length; i += PUT_BATCH) batches.push(data.slice(i, i + PUT_BATCH));
        await Promise.all(batches.map((batch) => limit(() => cloudWatch.send(new PutMetricDataCommand({ Namespace: S3_NAMESPACE, MetricData: batch })))));
        datums += data.length;
      }
      return datums;
    }

    const runs = [...SIZES.map((size) => ({ size, places: 1 })), ...(FLEET_SIZE > 0 ? [{ size: FLEET_SIZE, places: FLEET_PLACES.length }] : [])];
    for (const { size, places } of runs) {
      const where = places === 1 ? '' : ` in ${places} accounts × regions`;
      it(`${size} buckets${where}: GetMetricData calls against the floor, the tick's time`, async () => {
        const names = Array.from({ length: size }, (_, i) => `tick-${run}-${size}-${places}-${i}`);
        const placeOf = (i: number) => (places === 1 ? { region: TEST_REGION } : FLEET_PLACES[i % places]!);
        const seedStart = performance.now();
        const datums = await seed(names, placeOf);
        const seedMs = performance.now() - seedStart;
        // The configured defaults, with the rules that read no CloudWatch (bucket configuration, access logs) off.
        const config = fileConfigSchema.parse({
          buckets: names.map((name, i) => ({ name, quota: '100GB', ...(places === 1 ? {} : { region: placeOf(i).region, ...(placeOf(i).account ? { account: placeOf(i).account } : {}) }) })),
          accounts: [{ id: OTHER_ACCOUNT, roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/s3-chatops-read` }],
          alerts: { thresholds: { 'no-request-metrics': false, 'access-denied': false } },
        });
        const rules = bucketRules(ALERT_RULES);
        const chunks = planChunks(config, rules);
        const requestMetrics = config.buckets.reduce((n, b) => n + bucketSignals(config, b, rules).length, 0);
        const storageMetrics = size * storageQueries('x', 'x').length;
        const store = new AlertStore(redis, { keyPrefix: `bench:${run}:${size}:` });
        const aws = createAwsPorts({ clients, cache: new RedisCache(redis), config, logger: silentLogger(), now: () => now });
        const deps = { config, aws, store, logger: silentLogger() };

        const tick = async (at: Date): Promise<TickMeasure> => {
          const before = await counted(metrics);
          const start = performance.now();
          // One worker process: two evaluation jobs at a time.
          const limit = pLimit(2);
          const outcomes = await Promise.all(
            chunks.map((buckets, chunk) => limit(() => evaluateChunk(deps, { chunk, slot: at.toISOString(), at: at.toISOString(), buckets, fleet: false }))),
          );
          const ms = performance.now() - start;
          expect(outcomes.every((o) => o.outcome === 'evaluated')).toBe(true);
          const after = await counted(metrics);
          return { ms, calls: after.calls - before.calls, metrics: after.metrics - before.metrics };
        };

        // The first tick reads the whole lookback and the daily storage metrics; later ones only request metrics.
        const cold = await tick(now);
        // The seeded buckets' errors fire error-rate on the first tick.
        const firing = (await store.list()).filter((s) => s.rule === 'error-rate' && s.status === 'firing');
        expect(firing).toHaveLength(Math.ceil(size / SEED_EVERY));
        const warmRuns: TickMeasure[] = [];
        for (let i = 1; i <= WARM_TICKS; i += 1) warmRuns.push(await tick(new Date(now.getTime() + i * 300_000)));
        const warm = { ms: median(warmRuns.map((w) => w.ms)), calls: warmRuns[0]!.calls, metrics: warmRuns[0]!.metrics };

        // The answers the benchmark stands on: every metric asked once, in the fewest calls the chunking allows.
        expect(cold.metrics).toBe(requestMetrics + storageMetrics);
        expect(warm.metrics).toBe(requestMetrics);
        expect(warm.calls).toBe(chunks.length);
        // Each account and region is its own batch: the sum over them of ceil(metrics ÷ 500).
        const perPlace = new Map<string, number>();
        for (const b of config.buckets) perPlace.set(`${b.account ?? ''}/${b.region ?? ''}`, (perPlace.get(`${b.account ?? ''}/${b.region ?? ''}`) ?? 0) + bucketSignals(config, b, rules).length);
        expect(warm.calls).toBe([...perPlace.values()].reduce((n, m) => n + Math.ceil(m / CALL_LIMIT), 0));

        results.push({ buckets: size, places, chunks: chunks.length, requestMetrics, storageMetrics, cold, warm, warmRuns: warmRuns.map((w) => w.ms) });
        process.stdout.write(`seeded ${datums} datums for ${size} buckets in ${fixed(seedMs / 1000)} s\n`);
      });
    }

    it('writes the table and the monthly cost at the configured cadence', () => {
      const cadence = fileConfigSchema.parse({ buckets: [{ name: 'cadence-only' }] }).schedules.alertEvaluation;
      const ticks = ticksPerMonth(cadence);
      const storageRefreshes = (DAYS_PER_MONTH * 24) / fileConfigSchema.parse({ buckets: [{ name: 'cadence-only' }] }).alerts.storageRefreshHours;
      // The fleet run spreads its buckets evenly: each account × region is a batch of its own.
      const floor = (metricsAsked: number, places: number) => places * Math.ceil(metricsAsked / places / CALL_LIMIT);
      const rows = results.flatMap((r) => {
        const monthlyMetrics = ticks * r.requestMetrics + storageRefreshes * r.storageMetrics;
        const cost = monthlyMetrics * USD_PER_METRIC;
        const buckets = r.places === 1 ? String(r.buckets) : `${r.buckets} (${r.places} accounts × regions)`;
        return [
          [
            buckets,
            'first (lookback + storage)',
            String(r.cold.metrics),
            `${r.cold.calls}`,
            `${floor(r.cold.metrics, r.places)}`,
            `${r.cold.metrics}`,
            fixed(r.cold.ms),
            '',
          ],
          [buckets, `steady (median of ${WARM_TICKS})`, String(r.warm.metrics), `${r.warm.calls}`, `${floor(r.warm.metrics, r.places)}`, `${r.warm.metrics}`, fixed(r.warm.ms), `$${fixed(cost, 2)}`],
        ];
      });
      const table = [
        `One alert evaluation tick against moto (${SEED_MINUTES} min of request metrics and 2 days of storage metrics seeded for one bucket in ${SEED_EVERY}; two evaluation jobs at a time, as one worker; state in Redis)`,
        '',
        markdownTable(['buckets', 'tick', 'metrics asked', 'GetMetricData calls', 'floor (metrics / 500 per account × region)', 'one call per metric', 'ms', 'CloudWatch USD / month'], rows),
        '',
        `Cost per month at the default cadence \`${cadence}\` (${ticks.toLocaleString('en-US')} ticks in ${DAYS_PER_MONTH} days) with storage metrics refreshed every ${(DAYS_PER_MONTH * 24) / storageRefreshes} h: ` +
          'GetMetricData is billed per metric requested (USD 0.01 per 1,000), whatever the period length, so the cost follows metrics × ticks.',
      ].join('\n');
      const file = writeResult('alerts-tick', { meta: runMeta(), table, results, cadence, ticksPerMonth: ticks });
      process.stdout.write(`\n${table}\nJSON: ${file}\n`);
      expect(results).toHaveLength(runs.length);
    });
  },
);
