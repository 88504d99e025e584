/**
 * Gathers what a chunk's rules judge, with as few calls as the data allows: request metrics in one
 * GetMetricData call per 500, only for periods not fetched before (the series are cached in
 * Redis); daily storage metrics and the request-metrics configuration at most every few hours.
 */
import pLimit from 'p-limit';
import type { AwsPorts, MetricPoint, MetricSeries } from '../aws/ports.js';
import type { Config } from '../config/load.js';
import type { BucketConfig } from '../config/schema.js';
import type { Logger } from '../lib/logger.js';
import { DAY_SECONDS, readStorage, storageQueries } from '../reports/s3-metrics.js';
import { accessLogMinutes, bucketLogging, gatherAccessLogs, type BucketLogging } from './gather-access-logs.js';
import { gatherTrail } from './gather-trail.js';
import type { GatherProblems } from './source-problems.js';
import { bucketSignals, signalKey, signalQuery, type RequestSignal } from './plan.js';
import type { AccessLogInput, BucketRule, TrailInput } from './rules/index.js';
import type { AlertStore } from './store.js';

/** Request metrics arrive late: the newest minutes are read again on the next tick, and until then a period of them without a datapoint is judged not arrived. */
export const LATE_DATA_MS = 10 * 60_000;
/** How far back rules look: an hour of periods for their sparklines. */
export const LOOKBACK_MS = 3_600_000;
const STORAGE_DAYS = 3;

/** The cached signals of one chunk. */
export interface ChunkSignals {
  /** Up to when each signal's request metrics were fetched (ms), by signal key. */
  fetchedUntil: Record<string, number>;
  /** Points by signal key: [timestamp ms, value]. */
  points: Record<string, [number, number][]>;
  storageAt: number | null;
  /** Newest total size per bucket: [timestamp ms, bytes]. */
  storage: Record<string, [number, number] | null>;
  /** Whether each bucket has its request-metrics configuration; `null` when unknown. */
  requestMetrics: Record<string, boolean | null>;
  /** Each access-log-reading bucket's logging configuration (refreshed with the storage metrics); `null` when unreadable. */
  accessLogging?: Record<string, BucketLogging | null>;
}

export interface GatherDeps {
  config: Pick<Config, 'alerts' | 'budget'>;
  aws: Pick<AwsPorts, 'metrics' | 'facts' | 'accessLogs' | 'trail'>;
  store: AlertStore;
  rules: readonly BucketRule[];
  logger: Logger;
  /** Where read failures are said across ticks (`gatherProblems`); absent: each tick says its own. */
  problems?: GatherProblems;
}

/** What the rules of a chunk read, and how many GetMetricData calls it took. */
export interface GatheredChunk {
  signals: ChunkSignals;
  pointsOf(bucket: BucketConfig, need: Omit<RequestSignal, 'bucket' | 'filterId'>): MetricPoint[];
  /** Access-log windows, by bucket name, for buckets whose rules read them. */
  accessLogs: Record<string, AccessLogInput>;
  /** CloudTrail changes, by bucket name, for buckets whose rules read them. */
  trail: Record<string, TrailInput>;
  metricCalls: number;
}

export interface GatherOptions {
  /** Where request metrics are read up to (the judged end, before `end` by the evaluation delay); `end` by default. */
  requestEnd?: Date;
}

/** Fetches (incrementally) and caches a chunk's signals: request metrics up to `requestEnd`, the rest as of `end`. */
export async function gatherChunk(deps: GatherDeps, chunkKey: string, buckets: readonly BucketConfig[], end: Date, options: GatherOptions = {}): Promise<GatheredChunk> {
  const { config, aws, store, rules } = deps;
  const requestEnd = options.requestEnd ?? end;
  // Versioned: a cache written by an older release is ignored, not misread.
  const cacheKey = `series:v2:${chunkKey}`;
  // Without the cache (Redis away, a preview from the command line) everything is fetched afresh.
  const cached = (await store.getJson<ChunkSignals>(cacheKey).catch(() => null)) ?? { fetchedUntil: {}, points: {}, storageAt: null, storage: {}, requestMetrics: {} };
  const signals = buckets.flatMap((b) => bucketSignals(config, b, rules));
  const endMs = end.getTime();
  const requestEndMs = requestEnd.getTime();
  let metricCalls = 0;

  if (signals.length > 0) {
    const align = alignmentMs(signals);
    const oldest = requestEndMs - LOOKBACK_MS - maxPeriodMs(signals);
    // From the least recently fetched signal: a bucket new to the chunk is read in full.
    const seen = Math.min(...signals.map((s) => cached.fetchedUntil[signalKey(s)] ?? 0));
    const from = Math.floor(Math.max(oldest, seen - LATE_DATA_MS) / align) * align;
    if (from < requestEndMs) {
      const queries = signals.map((s, i) => signalQuery(s, `s${i}`));
      const series = await aws.metrics.getMetricData(queries, { start: new Date(from), end: requestEnd });
      metricCalls += Math.ceil(queries.length / 500);
      signals.forEach((s, i) => {
        const key = signalKey(s);
        const kept = (cached.points[key] ?? []).filter(([t]) => t < from && t >= oldest);
        const fresh = (series.get(`s${i}`)?.points ?? []).map((p): [number, number] => [p.timestamp.getTime(), p.value]);
        cached.points[key] = [...kept, ...fresh];
        cached.fetchedUntil[key] = requestEndMs;
      });
    }
  }

  const refreshMs = config.alerts.storageRefreshHours * 3_600_000;
  const readsLogs = buckets.filter((b) => accessLogMinutes(config, b, rules) > 0);
  if (cached.storageAt === null || endMs - cached.storageAt >= refreshMs || buckets.some((b) => !(b.name in cached.storage)) || readsLogs.some((b) => !(b.name in (cached.accessLogging ?? {})))) {
    metricCalls += await refreshDaily(deps, buckets, end, cached);
    cached.storageAt = endMs;
  }
  // Read every tick: a log object already counted comes from the Redis cache, not from S3 again.
  const [accessLogs, trail] = await Promise.all([
    gatherAccessLogs({ config, ports: aws.accessLogs, rules, logger: deps.logger, ...(deps.problems ? { problems: deps.problems.accessLogs } : {}) }, readsLogs, end, cached.accessLogging ?? {}),
    gatherTrail({ config, trail: aws.trail, rules, logger: deps.logger, ...(deps.problems ? { problems: deps.problems.trail } : {}) }, buckets, end),
  ]);
  await store.setJson(cacheKey, cached, DAY_SECONDS).catch((error: unknown) => deps.logger.debug({ err: error }, 'could not cache the alert signals'));

  return {
    signals: cached,
    metricCalls,
    accessLogs,
    trail,
    pointsOf: (bucket, need) =>
      (cached.points[signalKey({ ...need, bucket: bucket.name, filterId: bucket.requestMetricsFilterId })] ?? []).map(([t, v]) => ({ timestamp: new Date(t), value: v })),
  };
}

/** Daily storage totals (one call per 500 queries), whether request metrics are configured, and where access logs go. */
async function refreshDaily(deps: GatherDeps, buckets: readonly BucketConfig[], end: Date, cached: ChunkSignals): Promise<number> {
  const { config, aws, rules, logger } = deps;
  const wantsStorage = buckets.filter((b) => rules.some((r) => r.name === 'size-quota' && r.settings(config, b) !== null));
  const wantsRequestMetrics = new Set(buckets.filter((b) => rules.some((r) => r.name === 'no-request-metrics' && r.settings(config, b) !== null)).map((b) => b.name));
  const wantsLogging = new Set(buckets.filter((b) => accessLogMinutes(config, b, rules) > 0).map((b) => b.name));
  const wantsFacts = buckets.filter((b) => wantsRequestMetrics.has(b.name) || wantsLogging.has(b.name));
  const logging: Record<string, BucketLogging | null> = {};
  let calls = 0;
  if (wantsStorage.length > 0) {
    const queries = wantsStorage.flatMap((b, i) => storageQueries(b.name, `b${i}`));
    const series: Map<string, MetricSeries> = await aws.metrics.getMetricData(queries, { start: new Date(end.getTime() - STORAGE_DAYS * DAY_SECONDS * 1000), end });
    calls += Math.ceil(queries.length / 500);
    wantsStorage.forEach((b, i) => {
      const storage = readStorage(series, `b${i}`, 1);
      cached.storage[b.name] = storage.totalBytes === null || storage.asOf === null ? null : [Date.parse(`${storage.asOf}T00:00:00Z`), storage.totalBytes];
    });
  }
  for (const b of buckets) if (!(b.name in cached.storage)) cached.storage[b.name] = null;
  const limit = pLimit(4);
  await Promise.all(
    wantsFacts.map((b) =>
      limit(async () => {
        try {
          const facts = await aws.facts.getFacts(b.name);
          const unreadable = facts.problems.some((p) => p.fact === 'metricsConfigurations');
          if (wantsRequestMetrics.has(b.name)) cached.requestMetrics[b.name] = unreadable ? null : facts.metricsConfigurations.some((m) => m.id === b.requestMetricsFilterId);
          if (wantsLogging.has(b.name)) logging[b.name] = bucketLogging(facts);
        } catch (error) {
          logger.warn({ err: error, bucket: b.name }, 'could not read the bucket configuration for the no-request-metrics and access-denied alerts');
          if (wantsRequestMetrics.has(b.name)) cached.requestMetrics[b.name] = null;
          if (wantsLogging.has(b.name)) logging[b.name] = null;
        }
      }),
    ),
  );
  cached.accessLogging = logging;
  return calls;
}

function maxPeriodMs(signals: readonly RequestSignal[]): number {
  return Math.max(...signals.map((s) => s.periodSeconds)) * 1000;
}

/** A range start on which every signal's periods align: their least common multiple, at most an hour. */
function alignmentMs(signals: readonly RequestSignal[]): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const lcm = signals.reduce((acc, s) => (acc * s.periodSeconds) / gcd(acc, s.periodSeconds), 60);
  return Math.min(lcm, 3600) * 1000;
}
