// Evaluation that scales: jobs that fill GetMetricData calls without overfilling them, and a gather
// step that asks CloudWatch only for what it has not seen (plus the re-read newest minutes) and for
// storage metrics at most every `storageRefreshHours`.
import { describe, expect, it } from 'vitest';
import type { AwsPorts, BucketFacts, MetricQuery, MetricSeries } from '../../../src/aws/ports.js';
import { gatherChunk, LATE_DATA_MS, LOOKBACK_MS } from '../../../src/alerts/gather.js';
import { bucketSignals, planChunks } from '../../../src/alerts/plan.js';
import { bucketRules } from '../../../src/alerts/rules/index.js';
import type { AlertStore } from '../../../src/alerts/store.js';
import { fileConfigSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/lib/logger.js';

const MIN = 60_000;
const rules = bucketRules();

function fleet(n: number, extra: Record<string, unknown> = {}, bucket: (i: number) => Record<string, unknown> = () => ({})) {
  return fileConfigSchema.parse({ buckets: Array.from({ length: n }, (_, i) => ({ name: `bucket-${String(i).padStart(4, '0')}`, ...bucket(i) })), ...extra });
}

describe('planChunks', () => {
  const check = (config: ReturnType<typeof fleet>) => {
    const chunks = planChunks(config, rules);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(config.alerts.bucketsPerJob);
      expect(chunk.reduce((n, b) => n + bucketSignals(config, b, rules).length, 0)).toBeLessThanOrEqual(500);
    }
    // Every bucket once, in the configured order.
    expect(chunks.flat().map((b) => b.name)).toEqual(config.buckets.map((b) => b.name));
    return chunks;
  };

  it('1,000 buckets with the default rules: 125 a job, each job one full GetMetricData call', () => {
    const config = fleet(1_000);
    expect(bucketSignals(config, config.buckets[0]!, rules)).toHaveLength(4);
    const chunks = check(config);
    expect(chunks).toHaveLength(8);
    expect(chunks.every((c) => c.length === 125)).toBe(true);
  });

  it('keeps each job to one account and region, so a tick makes the sum over them of ceil(metrics ÷ 500) calls', () => {
    // 300 buckets alternating between two accounts × regions, and 10 whose region is found at read time.
    const config = fleet(310, { accounts: [{ id: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/read' }] }, (i) =>
      i >= 300 ? {} : i % 2 ? { region: 'eu-west-1', account: '222222222222' } : { region: 'us-east-1' },
    );
    const chunks = planChunks(config, rules);
    const groups = chunks.map((c) => new Set(c.map((b) => `${b.account ?? ''}/${b.region ?? ''}`)));
    expect(groups.every((g) => g.size === 1)).toBe(true);
    // 150 buckets × 4 metrics = 600 per account and region: two calls each; the 10 others: one.
    expect(chunks).toHaveLength(2 + 2 + 1);
    expect(chunks.flat()).toHaveLength(310);
    for (const chunk of chunks) expect(chunk.reduce((n, b) => n + bucketSignals(config, b, rules).length, 0)).toBeLessThanOrEqual(500);
  });

  it('a smaller bucketsPerJob bounds the jobs before the metrics do', () => {
    const chunks = check(fleet(230, { alerts: { bucketsPerJob: 50 } }));
    expect(chunks.map((c) => c.length)).toEqual([50, 50, 50, 50, 30]);
  });

  it('a larger bucketsPerJob is still cut at 500 metrics a job', () => {
    const chunks = check(fleet(1_000, { alerts: { bucketsPerJob: 1_000 } }));
    expect(chunks).toHaveLength(8);
  });

  it('buckets with more or fewer metrics (own periods, rules off) are packed without passing 500', () => {
    const config = fleet(
      700,
      { alerts: { bucketsPerJob: 1_000 } },
      (i) =>
        i % 3 === 0
          ? { thresholds: { 'server-errors': { periodMinutes: 1 }, latency: false } }
          : i % 3 === 1
            ? { thresholds: { 'error-rate': false, latency: false } }
            : { thresholds: { 'error-rate': { forMinutes: 15 }, 'server-errors': { periodMinutes: 10 } } },
    );
    const sizes = config.buckets.map((b) => bucketSignals(config, b, rules).length);
    expect(new Set(sizes)).toEqual(new Set([4, 1, 5]));
    const chunks = check(config);
    const total = sizes.reduce((a, b) => a + b, 0);
    // Greedy packing in order: never more than one call above the floor.
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(total / 500) + 1);
  });

  it('a fleet of one bucket is one job; buckets without request rules add no metrics', () => {
    expect(check(fleet(1))).toHaveLength(1);
    const quiet = fleet(600, { alerts: { bucketsPerJob: 1_000, thresholds: { 'error-rate': false, 'server-errors': false, latency: false } } });
    expect(check(quiet)).toHaveLength(1);
  });
});

interface Asked {
  queries: MetricQuery[];
  start: Date;
  end: Date;
}

/** A MetricsPort that records what it is asked, and answers each request query with one datapoint a period. */
function recordingPorts() {
  const asked: Asked[] = [];
  const ports = {
    metrics: {
      async getMetricData(queries: MetricQuery[], range: { start: Date; end: Date }): Promise<Map<string, MetricSeries>> {
        asked.push({ queries, ...range });
        const out = new Map<string, MetricSeries>();
        for (const q of queries) {
          const step = q.periodSeconds * 1000;
          const points = [];
          for (let t = Math.ceil(range.start.getTime() / step) * step; t < range.end.getTime(); t += step) points.push({ timestamp: new Date(t), value: range.end.getTime() });
          out.set(q.id, { id: q.id, points } as unknown as MetricSeries);
        }
        return out;
      },
    },
    facts: { getFacts: async () => ({ problems: [], metricsConfigurations: [{ id: 'EntireBucket' }] }) as unknown as BucketFacts },
    accessLogs: undefined,
  } as unknown as Pick<AwsPorts, 'metrics' | 'facts' | 'accessLogs'>;
  return { asked, ports };
}

/** The two store calls the gather step makes, in memory. */
function memoryStore(): AlertStore {
  const values = new Map<string, string>();
  return {
    getJson: async (key: string) => (values.has(key) ? JSON.parse(values.get(key)!) : null),
    setJson: async (key: string, value: unknown) => void values.set(key, JSON.stringify(value)),
  } as unknown as AlertStore;
}

describe('gatherChunk', () => {
  const config = fleet(3, { alerts: { thresholds: { 'access-denied': false } } }, (i) => (i === 0 ? { quota: 10_000_000 } : {}));
  const T = Date.parse('2026-03-10T12:05:00Z');
  const delay = config.alerts.evaluationDelayMinutes * MIN;
  const tick = (deps: ReturnType<typeof recordingPorts>, store: AlertStore, at: number, buckets = config.buckets) =>
    gatherChunk({ config, aws: deps.ports, store, rules, logger: silentLogger() }, '0', buckets, new Date(at), { requestEnd: new Date(at - delay) });
  const isStorage = (a: Asked) => a.queries.some((q) => q.metricName === 'BucketSizeBytes');
  const requestCalls = (asked: Asked[]) => asked.filter((a) => !isStorage(a));

  it('first tick: every request metric of the chunk in one call over the lookback, and the storage metrics', async () => {
    const deps = recordingPorts();
    const got = await tick(deps, memoryStore(), T);
    const [req] = requestCalls(deps.asked);
    expect(requestCalls(deps.asked)).toHaveLength(1);
    expect(req!.queries).toHaveLength(3 * 4);
    expect(req!.end).toEqual(new Date(T - delay));
    expect(req!.start.getTime()).toBeLessThanOrEqual(T - delay - LOOKBACK_MS);
    expect(deps.asked.filter(isStorage)).toHaveLength(1);
    expect(got.metricCalls).toBe(2);
  });

  it('next ticks ask only for the periods not seen, from the re-read window on, and keep the rest from the cache', async () => {
    const deps = recordingPorts();
    const store = memoryStore();
    await tick(deps, store, T);
    for (let k = 1; k <= 6; k += 1) await tick(deps, store, T + k * 5 * MIN);
    const calls = requestCalls(deps.asked);
    expect(calls).toHaveLength(7);
    for (let k = 1; k <= 6; k += 1) {
      const previousEnd = T + (k - 1) * 5 * MIN - delay;
      // From the last end fetched less the late-data window, aligned down to a 5-minute period.
      expect(calls[k]!.start.getTime()).toBe(Math.floor((previousEnd - LATE_DATA_MS) / (5 * MIN)) * 5 * MIN);
      expect(calls[k]!.end.getTime()).toBe(T + k * 5 * MIN - delay);
      // That covers every period a tick may still judge "not arrived" (ending within LATE_DATA_MS of it).
      expect(calls[k]!.start.getTime()).toBeLessThanOrEqual(T + k * 5 * MIN - LATE_DATA_MS - 5 * MIN);
      expect(calls[k]!.end.getTime() - calls[k]!.start.getTime()).toBeLessThan(30 * MIN);
    }
    // The cache still has the hour the rules look back over: old points from the first read, new from the last.
    const last = await tick(deps, store, T + 7 * 5 * MIN);
    const points = last.pointsOf(config.buckets[1]!, { metric: 'TotalRequestLatency', stat: 'Average', periodSeconds: 60 });
    const end = T + 35 * MIN - delay;
    expect(points[0]!.timestamp.getTime()).toBeLessThanOrEqual(end - LOOKBACK_MS);
    expect(points.at(-1)!.timestamp.getTime()).toBe(end - MIN);
    expect(new Set(points.map((p) => p.timestamp.getTime())).size).toBe(points.length);
  });

  it('a bucket new to the chunk is read over the whole lookback', async () => {
    const deps = recordingPorts();
    const store = memoryStore();
    await tick(deps, store, T, config.buckets.slice(0, 2));
    await tick(deps, store, T + 5 * MIN);
    const second = requestCalls(deps.asked)[1]!;
    expect(second.start.getTime()).toBeLessThanOrEqual(T + 5 * MIN - delay - LOOKBACK_MS);
  });

  it('reads storage metrics at most every storageRefreshHours', async () => {
    const deps = recordingPorts();
    const store = memoryStore();
    const hours = config.alerts.storageRefreshHours;
    for (let m = 0; m <= hours * 60 + 5; m += 5) await tick(deps, store, T + m * MIN);
    const storage = deps.asked.filter(isStorage);
    expect(storage).toHaveLength(2);
    expect(storage[1]!.end.getTime() - storage[0]!.end.getTime()).toBe(hours * 3_600_000);
    // Only the bucket with a quota needs them.
    expect(new Set(storage[0]!.queries.map((q) => q.dimensions.find((d) => d.name === 'BucketName')!.value))).toEqual(new Set([config.buckets[0]!.name]));
  });

  it('sends more than 500 request metrics in one port call and counts the GetMetricData calls it makes', async () => {
    const big = fleet(130, { alerts: { bucketsPerJob: 1_000, thresholds: { 'access-denied': false } } });
    const deps = recordingPorts();
    const got = await gatherChunk({ config: big, aws: deps.ports, store: memoryStore(), rules, logger: silentLogger() }, '0', big.buckets, new Date(T), { requestEnd: new Date(T - delay) });
    expect(requestCalls(deps.asked)[0]!.queries).toHaveLength(520);
    expect(got.metricCalls).toBe(2);
  });
});
