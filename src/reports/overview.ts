/** `/s3 status` with several buckets and none named, and the App Home tab: one line per bucket. */
import type { AwsPorts } from '../aws/ports.js';
import type { BucketConfig } from '../config/schema.js';
import type { ListItem, Report, Severity } from '../message/model.js';
import { code } from '../message/markup.js';
import { formatBytes, formatCount, formatPercent, formatTimestamp } from '../message/format.js';
import {
  DAY_SECONDS,
  errorRateQueries,
  type ErrorRateFigures,
  floorToMinute,
  readErrorRate,
  readStorage,
  type StorageFigures,
  storageQueries,
} from './s3-metrics.js';
import { errorRateNeedsAttention, worse } from './digest/attention.js';
import { STATUS_REQUEST_PERIOD } from './status.js';
import type { BucketRef, FiringAlertLine } from './types.js';
import { answeredOr, unansweredBlocks } from './unanswered.js';

/** Storage datapoints can lag up to two days; three days always hold the newest one. */
export const OVERVIEW_STORAGE_DAYS = 3;
/** GetMetricData takes at most 500 queries a call. */
export const MAX_QUERIES_PER_CALL = 500;

export interface OverviewBucket {
  bucket: BucketRef;
  storage: StorageFigures;
  lastHour: ErrorRateFigures;
  alerts?: FiringAlertLine[];
  /** S3 says the bucket does not exist (asked only of buckets with no figures at all). */
  missing?: true;
}

export interface OverviewData {
  generatedAt: Date;
  buckets: OverviewBucket[];
  /** False when CloudWatch did not answer in time: sizes and error rates are unknown, not empty. */
  metricsAnswered?: false;
  /** One sentence per source that did not answer in time. */
  unanswered?: string[];
}

export interface OverviewExtras {
  /** Firing alerts by bucket name; filled by the alerts issue. */
  alerts?: Record<string, FiringAlertLine[]>;
}

/** Fetches every bucket's size, objects and last-hour error rate, in one GetMetricData call per 500 queries. */
export async function gatherOverview(ports: AwsPorts, buckets: BucketConfig[], now: Date, extras: OverviewExtras = {}): Promise<OverviewData> {
  const end = floorToMinute(now);
  const start = new Date(end.getTime() - OVERVIEW_STORAGE_DAYS * DAY_SECONDS * 1000);
  const queriesOf = (b: BucketConfig, i: number) => [
    ...storageQueries(b.name, `b${i}`),
    ...errorRateQueries(b.name, b.requestMetricsFilterId, `b${i}`, STATUS_REQUEST_PERIOD),
  ];
  const perBucket = buckets.map(queriesOf);
  const batches: (typeof perBucket)[number][] = [];
  for (const queries of perBucket) {
    const last = batches.at(-1);
    if (last && last.length + queries.length <= MAX_QUERIES_PER_CALL) last.push(...queries);
    else batches.push([...queries]);
  }
  const answered = await answeredOr(Promise.all(batches.map((q) => ports.metrics.getMetricData(q, { start, end }))));
  const series = new Map('value' in answered ? answered.value.flatMap((a) => [...a.entries()]) : []);
  const hourAgo = new Date(end.getTime() - 3600_000);
  const figures = buckets.map((b, i) => ({
    bucket: { name: b.name, alias: b.alias },
    storage: readStorage(series, `b${i}`, 1),
    lastHour: readErrorRate(series, b.name, b.requestMetricsFilterId, `b${i}`, hourAgo, STATUS_REQUEST_PERIOD),
    ...(extras.alerts ? { alerts: extras.alerts[b.name] ?? [] } : {}),
  }));
  // A bucket with no figures is new or does not exist: one HeadBucket each tells them apart,
  // and buckets with figures cost nothing more than the one CloudWatch call.
  const missing = 'value' in answered && ports.facts.exists ? await missingBuckets(ports, figures) : new Set<string>();
  return {
    generatedAt: now,
    buckets: figures.map((b) => (missing.has(b.bucket.name) ? { ...b, missing: true as const } : b)),
    ...('unanswered' in answered ? { metricsAnswered: false as const, unanswered: [answered.unanswered] } : {}),
  };
}

/** The names of figureless buckets S3 says do not exist; a HeadBucket that fails says nothing either way. */
async function missingBuckets(ports: AwsPorts, buckets: OverviewBucket[]): Promise<Set<string>> {
  const figureless = buckets.filter((b) => b.storage.totalBytes === null && !b.lastHour.hasData);
  const answers = await Promise.all(figureless.map((b) => ports.facts.exists!(b.bucket.name).then((exists) => !exists, () => false)));
  return new Set(figureless.filter((_, i) => answers[i]).map((b) => b.bucket.name));
}

/**
 * A bucket's mark, from the figures its line shows: the worst firing alert, an error rate past the
 * error-rate rule's default (as the digest judges it), `critical` for a bucket S3 says does not
 * exist, and `info`, never ✓, when there are no figures at all (a new bucket, or one whose
 * existence could not be checked).
 */
export function overviewSeverity(b: OverviewBucket, metricsAnswered: boolean): Severity {
  if (b.missing) return 'critical';
  let severity = (b.alerts ?? []).reduce<Severity>((w, a) => worse(w, a.severity), 'ok');
  if (errorRateNeedsAttention(b.lastHour.requests, b.lastHour.errorRate)) severity = worse(severity, 'warning');
  const knowsNothing = !metricsAnswered || (b.storage.totalBytes === null && !b.lastHour.hasData);
  return knowsNothing ? worse(severity, 'info') : severity;
}

/** Builds the fleet overview: one line per bucket. */
export function buildOverview(data: OverviewData): Report<OverviewData> {
  const items: ListItem[] = data.buckets.map((b) => {
    const firing = b.alerts?.length ?? 0;
    if (b.missing) {
      return { severity: 'critical', text: `**${b.bucket.alias ?? b.bucket.name}** · does not exist in this AWS account`, detail: `S3 answers NoSuchBucket for ${code(b.bucket.name)}: check the name in the configuration and the AWS account of the credentials, or remove the bucket from the configuration` };
    }
    const parts = [
      `**${b.bucket.alias ?? b.bucket.name}**`,
      ...(data.metricsAnswered === false
        ? ['_CloudWatch did not answer_']
        : [
            b.storage.totalBytes === null ? 'no storage metrics yet' : formatBytes(b.storage.totalBytes),
            b.storage.objects === null ? '' : `${formatCount(b.storage.objects)} objects`,
            b.lastHour.errorRate === null ? 'no requests in 1 h' : `${formatPercent(b.lastHour.errorRate)} errors in 1 h`,
          ]),
      b.alerts === undefined ? '' : firing === 0 ? 'no alerts' : `${firing} alert${firing === 1 ? '' : 's'} firing`,
    ].filter(Boolean);
    return { severity: overviewSeverity(b, data.metricsAnswered !== false), text: parts.join(' · ') };
  });
  const firingTotal = data.buckets.reduce((n, b) => n + (b.alerts?.length ?? 0), 0);
  const summary = `${data.buckets.length} bucket${data.buckets.length === 1 ? '' : 's'}${firingTotal > 0 ? `, ${firingTotal} alert${firingTotal === 1 ? '' : 's'} firing` : ''}`;
  return {
    message: {
      summary: `S3 buckets: ${summary}`,
      blocks: [
        { kind: 'header', text: `S3 buckets (${data.buckets.length})` },
        { kind: 'list', items },
        ...unansweredBlocks(data.unanswered),
        { kind: 'context', text: `${formatTimestamp(data.generatedAt)} · size and objects from daily storage metrics · \`/s3 status <bucket>\` for details` },
      ],
    },
    data,
  };
}
