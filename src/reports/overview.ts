/** `/s3 status` with several buckets and none named, and the App Home tab: one line per bucket. */
import type { AwsPorts, BucketPlace } from '../aws/ports.js';
import type { BucketConfig } from '../config/schema.js';
import type { Block, ListItem, Report, Severity } from '../message/model.js';
import { code, lit } from '../message/markup.js';
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
import { UserFacingError } from '../lib/errors.js';
import { isUnavailable, unansweredBlocks } from './unanswered.js';

/** Storage datapoints can lag up to two days; three days always hold the newest one. */
export const OVERVIEW_STORAGE_DAYS = 3;
/** GetMetricData takes at most 500 queries a call. */
export const MAX_QUERIES_PER_CALL = 500;

export interface OverviewBucket {
  bucket: BucketRef;
  /** Its account (the configured id; absent: the bot's own) and region, where the ports know them. */
  place?: { account?: string; region: string };
  storage: StorageFigures;
  lastHour: ErrorRateFigures;
  alerts?: FiringAlertLine[];
  /** Why its account's or region's metrics could not be read, when others' could. */
  problem?: string;
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

/**
 * Fetches every bucket's size, objects and last-hour error rate, in one GetMetricData call per 500
 * queries of each account and region (a call reads one account in one region).
 */
export async function gatherOverview(ports: AwsPorts, buckets: BucketConfig[], now: Date, extras: OverviewExtras = {}): Promise<OverviewData> {
  const places = await placesOf(ports, buckets);
  const end = floorToMinute(now);
  const start = new Date(end.getTime() - OVERVIEW_STORAGE_DAYS * DAY_SECONDS * 1000);
  const queriesOf = (b: BucketConfig, i: number) => [
    ...storageQueries(b.name, `b${i}`),
    ...errorRateQueries(b.name, b.requestMetricsFilterId, `b${i}`, STATUS_REQUEST_PERIOD),
  ];
  const perBucket = buckets.map(queriesOf);
  const batches: { group: string; queries: (typeof perBucket)[number]; buckets: number[] }[] = [];
  // Buckets of one account and region together, so no batch spans two of them.
  const order = buckets.map((_, i) => i).sort((a, b) => groupOf(places[a]).localeCompare(groupOf(places[b])) || a - b);
  for (const i of order) {
    const queries = perBucket[i]!;
    const group = groupOf(places[i]);
    const last = batches.at(-1);
    if (last && last.group === group && last.queries.length + queries.length <= MAX_QUERIES_PER_CALL) {
      last.queries.push(...queries);
      last.buckets.push(i);
    } else batches.push({ group, queries: [...queries], buckets: [i] });
  }
  const read = await Promise.all(batches.map((b) => ports.metrics.getMetricData(b.queries, { start, end }).then((value) => ({ value }), (error: unknown) => ({ error }))));
  const series = new Map(read.flatMap((r) => ('value' in r ? [...r.value.entries()] : [])));
  const failed = read.flatMap((r, i) => ('error' in r ? [{ error: r.error, batch: batches[i]! }] : []));
  // One account and region: a failure is the whole overview's, as it always was.
  const oneGroup = new Set(batches.map((b) => b.group)).size <= 1;
  const fatal = failed.find((f) => !(f.error instanceof UserFacingError) || (oneGroup && !isUnavailable(f.error)));
  if (fatal) throw fatal.error;
  const unanswered = [...new Set(failed.filter((f) => isUnavailable(f.error)).map((f) => (f.error as UserFacingError).userMessage))];
  // Several: an account or region that failed says why on its own buckets' lines, and the rest answer.
  const problems = new Map<number, string>(oneGroup ? [] : failed.flatMap((f) => f.batch.buckets.map((i) => [i, (f.error as UserFacingError).userMessage] as const)));
  const hourAgo = new Date(end.getTime() - 3600_000);
  const figures: OverviewBucket[] = buckets.map((b, i) => ({
    bucket: { name: b.name, alias: b.alias },
    ...(places[i] ? { place: { ...(b.account ? { account: b.account } : {}), region: places[i]!.region } } : {}),
    storage: readStorage(series, `b${i}`, 1),
    lastHour: readErrorRate(series, b.name, b.requestMetricsFilterId, `b${i}`, hourAgo, STATUS_REQUEST_PERIOD),
    ...(extras.alerts ? { alerts: extras.alerts[b.name] ?? [] } : {}),
    ...(problems.has(i) ? { problem: problems.get(i)! } : {}),
  }));
  // A bucket with no figures is new or does not exist: one HeadBucket each tells them apart,
  // and buckets with figures cost nothing more than the one CloudWatch call.
  const metricsAnswered = !(oneGroup && unanswered.length > 0);
  const missing = metricsAnswered && ports.facts.exists ? await missingBuckets(ports, figures.filter((b) => !b.problem)) : new Set<string>();
  return {
    generatedAt: now,
    buckets: figures.map((b) => (missing.has(b.bucket.name) ? { ...b, missing: true as const } : b)),
    ...(metricsAnswered ? {} : { metricsAnswered: false as const }),
    ...(unanswered.length > 0 ? { unanswered } : {}),
  };
}

/** Each bucket's region and account, where the ports know placement; a bucket whose place cannot be found is left out of the grouping. */
async function placesOf(ports: AwsPorts, buckets: BucketConfig[]): Promise<(BucketPlace | undefined)[]> {
  const placement = ports.placement;
  if (!placement) return buckets.map(() => undefined);
  return Promise.all(buckets.map((b) => placement.placeOf(b.name).catch(() => undefined)));
}

function groupOf(place: BucketPlace | undefined): string {
  return place ? `${place.account ?? ''}/${place.region}` : '';
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
  if (b.problem) severity = worse(severity, 'warning');
  const knowsNothing = !metricsAnswered || (b.storage.totalBytes === null && !b.lastHour.hasData);
  return knowsNothing ? worse(severity, 'info') : severity;
}

/** Builds the fleet overview: one line per bucket. */
export function buildOverview(data: OverviewData): Report<OverviewData> {
  const item = (b: OverviewBucket): ListItem => {
    const firing = b.alerts?.length ?? 0;
    if (b.missing) {
      return { severity: 'critical', text: `**${b.bucket.alias ?? b.bucket.name}** · does not exist in this AWS account`, detail: `S3 answers NoSuchBucket for ${code(b.bucket.name)}: check the name in the configuration and the AWS account of the credentials, or remove the bucket from the configuration` };
    }
    const parts = [
      `**${b.bucket.alias ?? b.bucket.name}**`,
      ...(data.metricsAnswered === false
        ? ['_CloudWatch did not answer_']
        : b.problem
          ? [b.problem]
        : [
            b.storage.totalBytes === null ? 'no storage metrics yet' : formatBytes(b.storage.totalBytes),
            b.storage.objects === null ? '' : `${formatCount(b.storage.objects)} objects`,
            b.lastHour.errorRate === null ? 'no requests in 1 h' : `${formatPercent(b.lastHour.errorRate)} errors in 1 h`,
          ]),
      b.alerts === undefined ? '' : firing === 0 ? 'no alerts' : `${firing} alert${firing === 1 ? '' : 's'} firing`,
    ].filter(Boolean);
    return { severity: overviewSeverity(b, data.metricsAnswered !== false), text: parts.join(' · ') };
  };
  const firingTotal = data.buckets.reduce((n, b) => n + (b.alerts?.length ?? 0), 0);
  const summary = `${data.buckets.length} bucket${data.buckets.length === 1 ? '' : 's'}${firingTotal > 0 ? `, ${firingTotal} alert${firingTotal === 1 ? '' : 's'} firing` : ''}`;
  return {
    message: {
      summary: `S3 buckets: ${summary}`,
      blocks: [
        { kind: 'header', text: `S3 buckets (${data.buckets.length})` },
        ...fleetLists(data.buckets, item),
        ...unansweredBlocks(data.unanswered),
        { kind: 'context', text: `${formatTimestamp(data.generatedAt)} · size and objects from daily storage metrics · \`/s3 status <bucket>\` for details` },
      ],
    },
    data,
  };
}

/** One list for a fleet in one account and region; otherwise one list per account and region, titled with both. */
function fleetLists(buckets: OverviewBucket[], item: (b: OverviewBucket) => ListItem): Block[] {
  const groups = new Map<string, { place: OverviewBucket['place']; buckets: OverviewBucket[] }>();
  for (const b of buckets) {
    const key = b.place ? `${b.place.account ?? ''}/${b.place.region}` : '';
    const group = groups.get(key) ?? { place: b.place, buckets: [] };
    group.buckets.push(b);
    groups.set(key, group);
  }
  if (groups.size <= 1) return [{ kind: 'list', items: buckets.map(item) }];
  return [...groups.values()]
    .sort((a, b) => placeTitle(a.place).localeCompare(placeTitle(b.place)))
    .map((g) => ({ kind: 'list', title: placeTitle(g.place), items: g.buckets.map(item) }));
}

/** "Account 222222222222 · eu-west-1", "Own account · us-east-1". */
function placeTitle(place: OverviewBucket['place']): string {
  if (!place) return 'Region unknown';
  return `${place.account ? `Account ${lit(place.account)}` : 'Own account'} · ${lit(place.region)}`;
}
