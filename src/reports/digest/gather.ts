/**
 * Gathers the daily digest: every bucket's CloudWatch figures in one port call (the adapter sends
 * 500 queries to a GetMetricData call), the costs report's Cost Explorer answers (cached by the
 * port, never a second query), and per bucket, under a concurrency bound, its facts for hygiene,
 * a bounded listing for uploads, and the alert and test-upload sources when they exist.
 */
import pLimit from 'p-limit';
import { findDeniedRequests } from '../../access-logs/denied.js';
import { readBucketAccessLog } from '../access-log-read.js';
import { type AccessLogWindow, logReadBudget } from '../../access-logs/read-window.js';
import { budgetStopText } from '../access-log-blocks.js';
import { summarizeUploads, topCounts } from '../../access-logs/summaries.js';
import type { AwsPorts, BucketFacts, MetricQuery, MetricSeries } from '../../aws/ports.js';
import type { BucketConfig } from '../../config/schema.js';
import { userMessageOf } from '../../lib/errors.js';
import { silentLogger, type Logger } from '../../lib/logger.js';
import { computeCosts, DEFAULT_COST_DAYS, gatherCosts, type CostsFigures } from '../costs.js';
import { checkHygiene } from '../hygiene.js';
import {
  DAY_SECONDS,
  errorRateQueries,
  floorToMinute,
  readErrorRate,
  readStorage,
  requestQuery,
  storageQueries,
} from '../s3-metrics.js';
import { requestMetricsState } from '../status.js';
import { bucketChanges, type BucketChange } from '../../cloudtrail/bucket-changes.js';
import type {
  DigestAlertSummary,
  DigestBucket,
  DigestData,
  DigestRequests,
  DigestSources,
  DigestTestUploadSummary,
  DigestUploads,
  Part,
} from './types.js';

/** Storage datapoints lag up to two days; three days hold the newest one and the day before it. */
export const DIGEST_STORAGE_DAYS = 3;
/** Request metrics are read hourly, the range shared with the storage metrics (one call). */
export const DIGEST_REQUEST_PERIOD = 3600;
/** The digest's day. */
export const DIGEST_WINDOW_MS = 24 * 3600_000;
/** The most recent uploads one bucket's listing counts; past it the digest says "at least". */
export const DIGEST_UPLOAD_COUNT_CAP = 1000;
/** Buckets whose facts, listing and sources are read at once. */
export const DIGEST_CONCURRENCY = 8;
/** The 14-day sparkline: `/s3 costs`'s default days, so one cached Cost Explorer answer serves both. */
export const DIGEST_COST_DAYS = DEFAULT_COST_DAYS;

/** The parts of the configuration the digest reads. */
export interface DigestConfig {
  buckets: BucketConfig[];
  budget: { monthlyUsd?: number };
  uploads: { scanBudget: number; logObjectBudget?: number; logByteBudget?: number };
  cleanup: { olderThanDays: number };
  schedules: { timezone: string };
}

export interface GatherDigestOptions {
  now: Date;
  /** The local date the digest is for (its schedule slot); by default the UTC date of `now`. */
  day?: string;
  sources?: DigestSources;
  concurrency?: number;
  /** Where a failed access-log read is logged (the digest itself says the log could not be read). */
  logger?: Logger;
}

const ok = <T>(value: T): Part<T> => ({ ok: true, value });
const failed = <T>(error: unknown): Part<T> => ({ ok: false, reason: 'failed', problem: userMessageOf(error) });
const missing = <T>(what: string): Part<T> => ({ ok: false, reason: 'missing', problem: `${what} not available yet` });

/** The CloudWatch queries of one bucket: storage, request counts and the latency average's sum and count. */
export function digestQueries(bucket: BucketConfig, tag: string): MetricQuery[] {
  const filter = bucket.requestMetricsFilterId;
  return [
    ...storageQueries(bucket.name, tag),
    ...errorRateQueries(bucket.name, filter, tag, DIGEST_REQUEST_PERIOD),
    requestQuery(bucket.name, filter, tag, 'TotalRequestLatency', 'Sum', DIGEST_REQUEST_PERIOD),
    requestQuery(bucket.name, filter, tag, 'TotalRequestLatency', 'SampleCount', DIGEST_REQUEST_PERIOD),
  ];
}

/** Reads everything the digest shows; never throws for a source that fails, the part says why instead. */
export async function gatherDigest(ports: AwsPorts, config: DigestConfig, options: GatherDigestOptions): Promise<DigestData> {
  const { now, sources = {} } = options;
  const end = floorToMinute(now);
  const since = new Date(end.getTime() - DIGEST_WINDOW_MS);
  const start = new Date(end.getTime() - DIGEST_STORAGE_DAYS * DAY_SECONDS * 1000);
  const tags = config.buckets.map((_, i) => `b${i}`);
  const queries = config.buckets.flatMap((b, i) => digestQueries(b, tags[i]!));
  const limit = pLimit(options.concurrency ?? DIGEST_CONCURRENCY);

  const [series, cost, perBucket] = await Promise.all([
    queries.length === 0 ? Promise.resolve(ok(new Map<string, MetricSeries>())) : ports.metrics.getMetricData(queries, { start, end }).then(ok, failed<Map<string, MetricSeries>>),
    gatherCosts(ports, config, now, DIGEST_COST_DAYS).then((raw) => ok<CostsFigures>(computeCosts(raw)), failed<CostsFigures>),
    Promise.all(config.buckets.map((b) => limit(() => readBucketSources(ports, b, { since, end, now }, config, sources, options.logger ?? silentLogger())))),
  ]);

  const buckets: DigestBucket[] = config.buckets.map((b, i) => {
    const tag = tags[i]!;
    const got = perBucket[i]!;
    const storage = series.ok ? ok(readStorage(series.value, tag, 1)) : (series as Part<never>);
    const facts = got.facts;
    return {
      bucket: { name: b.name, alias: b.alias },
      ...(b.quota !== undefined ? { quotaBytes: b.quota } : {}),
      storage,
      uploads: got.uploads,
      requests: series.ok ? ok(readRequests(series.value, b, tag, since, facts.ok ? facts.value : null)) : (series as Part<never>),
      alerts: got.alerts,
      testUploads: got.testUploads,
      ...(got.changes ? { changes: got.changes } : {}),
      hygiene: facts.ok
        ? ok(
            checkHygiene({
              facts: facts.value,
              testPrefix: b.testPrefix,
              requestMetricsFilterId: b.requestMetricsFilterId,
              storage: storage.ok ? storage.value : null,
              testExpiryDays: config.cleanup.olderThanDays,
            }),
          )
        : (facts as Part<never>),
    };
  });

  return {
    generatedAt: now,
    since,
    day: options.day ?? now.toISOString().slice(0, 10),
    timeZone: config.schedules.timezone,
    buckets,
    cost,
    uploadScanBudget: config.uploads.scanBudget,
    metricQueries: queries.length,
  };
}

interface BucketSources {
  changes?: Part<BucketChange[]>;
  facts: Part<BucketFacts>;
  uploads: Part<DigestUploads>;
  alerts: DigestBucket['alerts'];
  testUploads: DigestBucket['testUploads'];
}

async function readBucketSources(
  ports: AwsPorts,
  bucket: BucketConfig,
  day: { since: Date; end: Date; now: Date },
  config: DigestConfig,
  sources: DigestSources,
  logger: Logger,
): Promise<BucketSources> {
  const { since } = day;
  const listUploads = (accessLogProblem?: string): Promise<Part<DigestUploads>> =>
    ports.listing.listNewest(bucket.name, { since, limit: DIGEST_UPLOAD_COUNT_CAP, scanBudget: config.uploads.scanBudget }).then(
      (r) =>
        ok<DigestUploads>({
          count: r.objects.length,
          bytes: r.objects.reduce((s, o) => s + o.size, 0),
          scanned: r.scanned,
          atLeast: r.truncated || r.objects.length >= DIGEST_UPLOAD_COUNT_CAP,
          ...(accessLogProblem ? { accessLogProblem } : {}),
        }),
      failed<DigestUploads>,
    );
  const factsRead = ports.facts.getFacts(bucket.name).then(ok, failed<BucketFacts>);
  // The access log where logging is on and it can be read (who uploaded, what failed, who was denied); else the bounded listing.
  const uploadsRead = factsRead.then(async (facts): Promise<Part<DigestUploads>> => {
    if (!facts.ok || !facts.value.logging || !ports.accessLogs) return listUploads();
    const log = await readBucketAccessLog(ports, facts.value, { start: since, end: day.end }, logger, { budget: logReadBudget(config.uploads) });
    return log.ok ? ok(uploadsFromAccessLog(log.window)) : listUploads(log.reason);
  });
  const changesRead = ports.trail
    ? // Changes up to the digest itself: they are not figures of whole minutes.
      ports.trail.bucketEvents(bucket.name, { start: since, end: day.now }).then((records) => ok(bucketChanges(records).filter((c) => c.time >= since)), failed<BucketChange[]>)
    : undefined;
  const [facts, uploads, alerts, testUploads, changes] = await Promise.all([
    factsRead,
    uploadsRead,
    sources.alerts ? sources.alerts.summary(bucket.name, since).then(ok, failed<DigestAlertSummary>) : Promise.resolve(missing<never>('alert history')),
    sources.testUploads
      ? sources.testUploads.summary(bucket.name, since).then(ok, failed<DigestTestUploadSummary>)
      : Promise.resolve(missing<never>('scheduled test uploads')),
    changesRead,
  ]);
  return { facts, uploads, alerts, testUploads, ...(changes ? { changes } : {}) };
}

/** The day's uploads from the access log: successful ones counted and sized, failures and denials by requester. */
export function uploadsFromAccessLog(window: AccessLogWindow): DigestUploads {
  const summary = summarizeUploads(window, { limit: 0 });
  const succeeded = window.uploads.filter((u) => (u.status ?? 0) < 400);
  const denied = findDeniedRequests(window.errors);
  return {
    count: succeeded.length,
    bytes: succeeded.reduce((s, u) => s + (u.size ?? 0), 0),
    scanned: 0,
    atLeast: window.droppedUploads > 0 || window.stopped !== null,
    accessLog: {
      failed: summary.failed,
      byRequester: summary.byRequester,
      denied: { count: denied.count, byRequester: topCounts(denied.requests.map((r) => r.requesterLabel), 10) },
      newestRecordAt: window.newestRecordAt,
      ...(window.stopped ? { readStopped: budgetStopText(window.stopped) } : {}),
    },
  };
}

function readRequests(series: Map<string, MetricSeries>, bucket: BucketConfig, tag: string, since: Date, facts: BucketFacts | null): DigestRequests {
  const filter = bucket.requestMetricsFilterId;
  const figures = readErrorRate(series, bucket.name, filter, tag, since, DIGEST_REQUEST_PERIOD);
  const inDay = (stat: 'Sum' | 'SampleCount'): number =>
    (series.get(requestQuery(bucket.name, filter, tag, 'TotalRequestLatency', stat, DIGEST_REQUEST_PERIOD).id)?.points ?? [])
      .filter((p) => p.timestamp.getTime() >= since.getTime())
      .reduce((s, p) => s + p.value, 0);
  const samples = inDay('SampleCount');
  const state = facts ? requestMetricsState(facts, filter, figures.hasData) : figures.hasData ? 'enabled' : 'unknown';
  return {
    state,
    requests: figures.requests,
    errors4xx: figures.errors4xx,
    errors5xx: figures.errors5xx,
    errorRate: figures.errorRate,
    latencyAverageMs: samples > 0 ? inDay('Sum') / samples : null,
  };
}
