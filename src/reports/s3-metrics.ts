/**
 * The CloudWatch queries every report asks of S3 (namespace AWS/S3), in one place, and the
 * arithmetic that turns their series into figures. Each report asks them in one GetMetricData call.
 */
import type { MetricPoint, MetricQuery, MetricSeries } from '../aws/ports.js';

export const S3_NAMESPACE = 'AWS/S3';
export const DAY_SECONDS = 86_400;
export const MINUTE_SECONDS = 60;

/**
 * BucketSizeBytes storage types and the storage class each counts towards. Overheads (the
 * per-object metadata S3 bills with some classes) count towards their class.
 */
export const STORAGE_TYPES: readonly { storageType: string; storageClass: string }[] = [
  { storageType: 'StandardStorage', storageClass: 'STANDARD' },
  { storageType: 'IntelligentTieringFAStorage', storageClass: 'INTELLIGENT_TIERING' },
  { storageType: 'IntelligentTieringIAStorage', storageClass: 'INTELLIGENT_TIERING' },
  { storageType: 'IntelligentTieringAIAStorage', storageClass: 'INTELLIGENT_TIERING' },
  { storageType: 'IntelligentTieringAAStorage', storageClass: 'INTELLIGENT_TIERING' },
  { storageType: 'IntelligentTieringDAAStorage', storageClass: 'INTELLIGENT_TIERING' },
  { storageType: 'StandardIAStorage', storageClass: 'STANDARD_IA' },
  { storageType: 'StandardIASizeOverhead', storageClass: 'STANDARD_IA' },
  { storageType: 'OneZoneIAStorage', storageClass: 'ONEZONE_IA' },
  { storageType: 'OneZoneIASizeOverhead', storageClass: 'ONEZONE_IA' },
  { storageType: 'ReducedRedundancyStorage', storageClass: 'REDUCED_REDUNDANCY' },
  { storageType: 'GlacierInstantRetrievalStorage', storageClass: 'GLACIER_IR' },
  { storageType: 'GlacierInstantRetrievalSizeOverhead', storageClass: 'GLACIER_IR' },
  { storageType: 'GlacierStorage', storageClass: 'GLACIER' },
  { storageType: 'GlacierStagingStorage', storageClass: 'GLACIER' },
  { storageType: 'GlacierObjectOverhead', storageClass: 'GLACIER' },
  { storageType: 'GlacierS3ObjectOverhead', storageClass: 'GLACIER' },
  { storageType: 'DeepArchiveStorage', storageClass: 'DEEP_ARCHIVE' },
  { storageType: 'DeepArchiveStagingStorage', storageClass: 'DEEP_ARCHIVE' },
  { storageType: 'DeepArchiveObjectOverhead', storageClass: 'DEEP_ARCHIVE' },
  { storageType: 'DeepArchiveS3ObjectOverhead', storageClass: 'DEEP_ARCHIVE' },
];

export const REQUEST_METRICS = ['AllRequests', 'GetRequests', 'PutRequests', '4xxErrors', '5xxErrors'] as const;
export const LATENCY_METRICS = ['TotalRequestLatency', 'FirstByteLatency'] as const;
export type RequestMetric = (typeof REQUEST_METRICS)[number];
export type LatencyMetric = (typeof LATENCY_METRICS)[number];

/** A CloudWatch query id: lower-case letter first, letters, digits and underscores only. */
export function queryId(...parts: string[]): string {
  return `q_${parts.join('_')}`.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
}

/** Daily BucketSizeBytes per storage type and NumberOfObjects, ids prefixed by `tag`. */
export function storageQueries(bucket: string, tag: string): MetricQuery[] {
  const size = STORAGE_TYPES.map(({ storageType }) => ({
    id: queryId(tag, 'size', storageType),
    namespace: S3_NAMESPACE,
    metricName: 'BucketSizeBytes',
    dimensions: [
      { name: 'BucketName', value: bucket },
      { name: 'StorageType', value: storageType },
    ],
    stat: 'Average' as const,
    periodSeconds: DAY_SECONDS,
  }));
  const objects: MetricQuery = {
    id: queryId(tag, 'objects'),
    namespace: S3_NAMESPACE,
    metricName: 'NumberOfObjects',
    dimensions: [
      { name: 'BucketName', value: bucket },
      { name: 'StorageType', value: 'AllStorageTypes' },
    ],
    stat: 'Average',
    periodSeconds: DAY_SECONDS,
  };
  return [...size, objects];
}

/** One request metric of a bucket's request-metrics filter. */
export function requestQuery(
  bucket: string,
  filterId: string,
  tag: string,
  metricName: RequestMetric | LatencyMetric,
  stat: MetricQuery['stat'],
  periodSeconds: number,
): MetricQuery {
  return {
    id: queryId(tag, metricName, stat),
    namespace: S3_NAMESPACE,
    metricName,
    dimensions: [
      { name: 'BucketName', value: bucket },
      { name: 'FilterId', value: filterId },
    ],
    stat,
    periodSeconds,
  };
}

/** AllRequests, 4xxErrors and 5xxErrors sums: what an error rate needs. */
export function errorRateQueries(bucket: string, filterId: string, tag: string, periodSeconds: number): MetricQuery[] {
  return (['AllRequests', '4xxErrors', '5xxErrors'] as const).map((m) =>
    requestQuery(bucket, filterId, tag, m, 'Sum', periodSeconds),
  );
}

/** Size and object count from the storage metrics, with the day they are from. */
export interface StorageFigures {
  /** `null` until CloudWatch has published a first daily datapoint (up to 48 h after creation). */
  totalBytes: number | null;
  objects: number | null;
  /** The UTC day of the newest datapoint, `YYYY-MM-DD`. */
  asOf: string | null;
  /** Bytes per storage class, largest first; classes with no bytes left out. */
  byClass: { storageClass: string; bytes: number }[];
  /** The change since the datapoint `days` earlier; `null` without an older datapoint. */
  change: { days: number; bytes: number | null; objects: number | null } | null;
}

/** The UTC day a daily datapoint reports: the day its period ends in, so unaligned ranges still read right. */
export function datapointDay(point: MetricPoint, periodSeconds: number): string {
  return new Date(point.timestamp.getTime() + periodSeconds * 1000 - 1).toISOString().slice(0, 10);
}

/** Reads size, objects, size by class and the change over `changeDays` from storage series. */
export function readStorage(series: Map<string, MetricSeries>, tag: string, changeDays = 7): StorageFigures {
  const byDay = new Map<string, Map<string, number>>();
  const add = (day: string, key: string, value: number): void => {
    const entry = byDay.get(day) ?? new Map<string, number>();
    entry.set(key, (entry.get(key) ?? 0) + value);
    byDay.set(day, entry);
  };
  for (const { storageType, storageClass } of STORAGE_TYPES) {
    for (const p of series.get(queryId(tag, 'size', storageType))?.points ?? []) {
      add(datapointDay(p, DAY_SECONDS), `class:${storageClass}`, p.value);
      add(datapointDay(p, DAY_SECONDS), 'bytes', p.value);
    }
  }
  for (const p of series.get(queryId(tag, 'objects'))?.points ?? []) add(datapointDay(p, DAY_SECONDS), 'objects', p.value);

  const days = [...byDay.keys()].sort();
  const latestDay = days.at(-1);
  if (latestDay === undefined) return { totalBytes: null, objects: null, asOf: null, byClass: [], change: null };
  const latest = byDay.get(latestDay) ?? new Map<string, number>();
  const byClass = [...latest.entries()]
    .filter(([k, v]) => k.startsWith('class:') && v > 0)
    .map(([k, bytes]) => ({ storageClass: k.slice('class:'.length), bytes }))
    .sort((a, b) => b.bytes - a.bytes);

  const target = addDays(latestDay, -changeDays);
  // The oldest day at or after the target: the fullest comparison the window allows.
  const baseDay = days.find((d) => d >= target && d < latestDay);
  let change: StorageFigures['change'] = null;
  if (baseDay !== undefined) {
    const base = byDay.get(baseDay) ?? new Map<string, number>();
    const diff = (key: string): number | null =>
      latest.has(key) && base.has(key) ? (latest.get(key) ?? 0) - (base.get(key) ?? 0) : null;
    change = { days: daysBetween(baseDay, latestDay), bytes: diff('bytes'), objects: diff('objects') };
  }
  return {
    totalBytes: latest.get('bytes') ?? null,
    objects: latest.get('objects') ?? null,
    asOf: latestDay,
    byClass,
    change,
  };
}

/** Requests and errors over a window, summed from per-period series. */
export interface ErrorRateFigures {
  requests: number;
  errors4xx: number;
  errors5xx: number;
  /** (4xx + 5xx) / requests; `null` with no requests. */
  errorRate: number | null;
  /** True when CloudWatch returned any datapoint at all (no requests leaves no datapoints). */
  hasData: boolean;
}

/** Sums AllRequests, 4xx and 5xx over the points at or after `since`. */
export function readErrorRate(series: Map<string, MetricSeries>, bucket: string, filterId: string, tag: string, since: Date, periodSeconds: number): ErrorRateFigures {
  const sum = (metric: RequestMetric): { total: number; n: number } => {
    const points = series.get(requestQuery(bucket, filterId, tag, metric, 'Sum', periodSeconds).id)?.points ?? [];
    const inWindow = points.filter((p) => p.timestamp.getTime() >= since.getTime());
    return { total: inWindow.reduce((s, p) => s + p.value, 0), n: inWindow.length };
  };
  const all = sum('AllRequests');
  const e4 = sum('4xxErrors');
  const e5 = sum('5xxErrors');
  return {
    requests: all.total,
    errors4xx: e4.total,
    errors5xx: e5.total,
    errorRate: all.total > 0 ? (e4.total + e5.total) / all.total : null,
    hasData: all.n + e4.n + e5.n > 0,
  };
}

/** Adds whole days to a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_SECONDS * 1000).toISOString().slice(0, 10);
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / (DAY_SECONDS * 1000));
}

/** `now` rounded down to the whole minute, as CloudWatch rounds a range. */
export function floorToMinute(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}
