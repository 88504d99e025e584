/** `/s3 status <bucket>`: the bucket as the S3 console shows it, with what is wrong pointed out. */
import type { AwsPorts, BucketFacts, MetricSeries } from '../aws/ports.js';
import type { BucketConfig } from '../config/schema.js';
import type { Block, Field, ListItem, Report } from '../message/model.js';
import {
  formatBytes,
  formatBytesChange,
  formatCount,
  formatCountChange,
  formatPercent,
  formatTimestamp,
} from '../message/format.js';
import { code, lit } from '../message/markup.js';
import { CLEANUP_PREVIEW_ACTION, STATUS_REFRESH_ACTION, TEST_UPLOAD_ACTION } from '../message/status-buttons.js';
import {
  encryptionText,
  FACT_NAMES,
  lifecycleRuleText,
  loggingText,
  policyText,
  publicAccessBlockText,
  replicationText,
} from './bucket-facts-text.js';
import { checkHygiene, type HygieneFinding } from './hygiene.js';
import { findingOrigins, gatherStatusChanges, lastChangeBlock, type StatusChanges } from './status-changes.js';
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
import { bucketLabel, type BucketRef, type FiringAlertLine } from './types.js';
import { answeredOr, NOT_ANSWERED_IN_TIME, unansweredBlocks } from './unanswered.js';

/** Storage metrics are daily; eight days give the newest point and the one a week before it. */
export const STATUS_STORAGE_DAYS = 8;
/**
 * Request metrics share the storage metrics' range (one GetMetricData call), so they are asked
 * hourly: with the range ending on `now`, the last hourly period is exactly the last hour.
 */
export const STATUS_REQUEST_PERIOD = 3600;

export type RequestMetricsState = 'enabled' | 'disabled' | 'unknown';

export interface StatusData {
  bucket: BucketRef & { testPrefix: string; requestMetricsFilterId: string; /** The account it is in, where not the bot's own. */ account?: string };
  generatedAt: Date;
  facts: BucketFacts;
  storage: StorageFigures;
  requestMetrics: RequestMetricsState;
  /** Requests and errors of the last hour; `null` where request metrics are off. */
  lastHour: ErrorRateFigures | null;
  /** Firing alerts; absent until the alerts issue supplies them, and then shown. */
  alerts?: FiringAlertLine[];
  /** False when CloudWatch did not answer in time: storage and request figures are unknown, not empty. */
  metricsAnswered?: false;
  /** One sentence per source that did not answer in time ("CloudWatch did not answer within 6 s …"). */
  unanswered?: string[];
  /** The last week's configuration changes from CloudTrail; absent where the entry point has no CloudTrail. */
  changes?: StatusChanges;
}

export interface StatusReportData extends StatusData {
  findings: HygieneFinding[];
}

export interface StatusExtras {
  alerts?: FiringAlertLine[];
  /** Sources read by the caller that did not answer in time (alert state). */
  unanswered?: string[];
}

/** Fetches a bucket's facts and its storage and last-hour request metrics, concurrently, in one GetMetricData call. */
export async function gatherStatus(ports: AwsPorts, bucket: BucketConfig, now: Date, extras: StatusExtras = {}): Promise<StatusData> {
  const end = floorToMinute(now);
  const start = new Date(end.getTime() - STATUS_STORAGE_DAYS * DAY_SECONDS * 1000);
  const queries = [
    ...storageQueries(bucket.name, 's'),
    ...errorRateQueries(bucket.name, bucket.requestMetricsFilterId, 'r', STATUS_REQUEST_PERIOD),
  ];
  // Facts (S3) and metrics (CloudWatch) are independent: one that does not answer in time leaves the other's.
  const [facts, metrics, changes] = await Promise.all([
    ports.facts.getFacts(bucket.name),
    answeredOr(ports.metrics.getMetricData(queries, { start, end })),
    gatherStatusChanges(ports, bucket.name, now),
  ]);
  const series = 'value' in metrics ? metrics.value : new Map<string, MetricSeries>();
  const trailUnanswered = changes && !changes.ok && changes.unanswered ? [changes.problem] : [];
  const unanswered = [...('unanswered' in metrics ? [metrics.unanswered] : []), ...trailUnanswered, ...(extras.unanswered ?? [])];
  const lastHour = readErrorRate(series, bucket.name, bucket.requestMetricsFilterId, 'r', new Date(end.getTime() - 3600_000), STATUS_REQUEST_PERIOD);
  const requestMetrics = requestMetricsState(facts, bucket.requestMetricsFilterId, lastHour.hasData);
  return {
    bucket: { name: bucket.name, alias: bucket.alias, testPrefix: bucket.testPrefix, requestMetricsFilterId: bucket.requestMetricsFilterId, ...(bucket.account ? { account: bucket.account } : {}) },
    generatedAt: now,
    facts,
    storage: readStorage(series, 's'),
    requestMetrics,
    lastHour: requestMetrics === 'disabled' || 'unanswered' in metrics ? null : lastHour,
    ...(extras.alerts ? { alerts: extras.alerts } : {}),
    ...('unanswered' in metrics ? { metricsAnswered: false as const } : {}),
    ...(unanswered.length > 0 ? { unanswered } : {}),
    ...(changes ? { changes } : {}),
  };
}

/** Whether request metrics are on: a metrics configuration with the bucket's filter id, or datapoints where that could not be read. */
export function requestMetricsState(facts: BucketFacts, filterId: string, hasData: boolean): RequestMetricsState {
  if (facts.metricsConfigurations.some((m) => m.id === filterId)) return 'enabled';
  if (facts.problems.some((p) => p.fact === 'metricsConfigurations')) return hasData ? 'enabled' : 'unknown';
  return 'disabled';
}

/** Builds the status message from gathered data. */
export function buildStatus(data: StatusData): Report<StatusReportData> {
  const { facts, storage, bucket } = data;
  const findings = checkHygiene({
    facts,
    testPrefix: bucket.testPrefix,
    requestMetricsFilterId: bucket.requestMetricsFilterId,
    storage,
  });
  const label = bucket.alias ?? bucket.name;
  const blocks: Block[] = [
    { kind: 'header', text: `S3 status: ${label}` },
    { kind: 'context', text: `${code(bucket.name)}${bucket.account ? ` · account ${lit(bucket.account)}` : ''} · ${facts.region ? lit(facts.region) : 'region unknown'} · ${formatTimestamp(data.generatedAt)}` },
    { kind: 'fields', fields: overviewFields(data) },
    { kind: 'fields', fields: propertyFields(data) },
  ];
  // A CloudTrail that did not answer in time is named with the other sources below.
  if (data.changes && (data.changes.ok || !data.changes.unanswered)) blocks.push(lastChangeBlock(data.changes));
  if (storage.byClass.length > 0 && storage.totalBytes) {
    const total = storage.totalBytes;
    blocks.push({
      kind: 'table',
      columns: ['Storage class', 'Size', 'Share'],
      rows: storage.byClass.map((c) => [c.storageClass, formatBytes(c.bytes), formatPercent(c.bytes / total)]),
    });
  }
  if (storage.asOf === null && data.metricsAnswered !== false) {
    blocks.push({
      kind: 'context',
      text: 'CloudWatch has no storage metrics for this bucket yet: S3 publishes them once a day, up to 48 hours after a bucket is created.',
    });
  }
  if (!unreadable(facts, 'lifecycleRules')) {
    blocks.push(
      facts.lifecycleRules.length === 0
        ? { kind: 'text', text: '**Lifecycle rules:** none' }
        : { kind: 'list', title: `Lifecycle rules (${facts.lifecycleRules.length})`, items: facts.lifecycleRules.map((r) => ({ text: lifecycleRuleText(r) })) },
    );
  }
  if (facts.problems.length > 0) {
    blocks.push({ kind: 'list', title: 'Could not read', items: problemItems(facts.problems) });
  }
  blocks.push(...unansweredBlocks(data.unanswered));
  if (data.alerts) blocks.push(alertsList(data.alerts));
  blocks.push(findingsList(findings, findingOrigins(findings, data.changes)));
  blocks.push({
    kind: 'actions',
    buttons: [
      { actionId: STATUS_REFRESH_ACTION, label: 'Refresh', value: bucket.name },
      { actionId: TEST_UPLOAD_ACTION, label: 'Run test upload', value: bucket.name },
      { actionId: CLEANUP_PREVIEW_ACTION, label: 'Clean up test files', value: bucket.name },
    ],
  });
  return { message: { summary: summaryLine(data, findings), blocks }, data: { ...data, findings } };
}

/**
 * One line per fact that could not be read; the facts S3 did not answer in time share one line
 * (a stall leaves them all unread, and eleven copies of one sentence hide the rest).
 */
function problemItems(problems: BucketFacts['problems']): ListItem[] {
  const stalled = problems.filter((p) => NOT_ANSWERED_IN_TIME.test(p.message));
  const items: ListItem[] = problems.filter((p) => !stalled.includes(p)).map((p) => ({ severity: 'warning', text: `**${FACT_NAMES[p.fact]}**: ${p.message}` }));
  if (stalled.length === 1) items.push({ severity: 'warning', text: `**${FACT_NAMES[stalled[0]!.fact]}**: ${stalled[0]!.message}` });
  if (stalled.length > 1) {
    const sentence = NOT_ANSWERED_IN_TIME.exec(stalled[0]!.message)![0];
    items.push({ severity: 'warning', text: `**${stalled.map((p) => FACT_NAMES[p.fact]).join(', ')}**: ${sentence}; try again in a minute.` });
  }
  return items;
}


function unreadable(facts: BucketFacts, fact: BucketFacts['problems'][number]['fact']): boolean {
  return facts.problems.some((p) => p.fact === fact);
}

const COULD_NOT_READ = '_could not read_';
const NOT_ANSWERED = '_CloudWatch did not answer_';

function overviewFields(data: StatusData): Field[] {
  const { storage, lastHour } = data;
  const change = storage.change;
  const changeText = (delta: number | null, fmt: (n: number) => string): string =>
    change && delta !== null ? ` (${fmt(delta)} in ${change.days} d)` : '';
  const noStorage = data.metricsAnswered === false ? NOT_ANSWERED : 'no storage metrics yet';
  const fields: Field[] = [
    {
      label: 'Objects',
      value: storage.objects === null ? noStorage : `${formatCount(storage.objects)}${changeText(change?.objects ?? null, formatCountChange)}`,
    },
    {
      label: 'Size',
      value: storage.totalBytes === null ? noStorage : `${formatBytes(storage.totalBytes)}${changeText(change?.bytes ?? null, formatBytesChange)}`,
    },
    { label: 'Storage metrics from', value: storage.asOf ?? '—' },
    { label: 'Request metrics', value: requestMetricsText(data) },
  ];
  if (lastHour) {
    fields.push(
      {
        label: 'Requests (1 h)',
        value: lastHour.hasData ? `${formatCount(lastHour.requests)} (4xx ${formatCount(lastHour.errors4xx)}, 5xx ${formatCount(lastHour.errors5xx)})` : 'none',
      },
      { label: 'Error rate (1 h)', value: lastHour.errorRate === null ? '—' : formatPercent(lastHour.errorRate) },
    );
  }
  return fields;
}

function requestMetricsText(data: StatusData): string {
  if (data.requestMetrics === 'enabled') return `On (filter ${code(data.bucket.requestMetricsFilterId)})`;
  if (data.requestMetrics === 'unknown') return COULD_NOT_READ;
  return `**Off** (no filter ${code(data.bucket.requestMetricsFilterId)})`;
}

function propertyFields({ facts }: StatusData): Field[] {
  const show = (fact: BucketFacts['problems'][number]['fact'], text: () => string): string => (unreadable(facts, fact) ? COULD_NOT_READ : text());
  return [
    { label: 'Region', value: show('region', () => facts.region ?? 'unknown') },
    { label: 'Versioning', value: show('versioning', () => `${facts.versioning}${facts.mfaDelete ? ', MFA delete on' : ''}`) },
    { label: 'Default encryption', value: show('encryption', () => encryptionText(facts.encryption)) },
    { label: 'Block Public Access', value: show('publicAccessBlock', () => publicAccessBlockText(facts.publicAccessBlock)) },
    { label: 'Bucket policy', value: show('hasPolicy', () => (unreadable(facts, 'policyIsPublic') && facts.hasPolicy ? 'Set (public status could not be read)' : policyText(facts))) },
    { label: 'Server access logging', value: show('logging', () => loggingText(facts.logging)) },
    { label: 'Replication', value: show('replication', () => replicationText(facts.replication)) },
    { label: 'Transfer acceleration', value: show('transferAcceleration', () => facts.transferAcceleration ?? 'Not set') },
  ];
}

function alertsList(alerts: FiringAlertLine[]): Block {
  if (alerts.length === 0) return { kind: 'list', title: 'Alerts', items: [{ severity: 'ok', text: 'No alerts firing' }] };
  return {
    kind: 'list',
    title: `Firing alerts (${alerts.length})`,
    items: alerts.map((a) => ({ severity: a.severity, text: `${code(a.rule)}: ${a.text}`, detail: `since ${formatTimestamp(a.since)}` })),
  };
}

/** The hygiene findings as a list, or one line saying there are none. */
export function findingsList(findings: HygieneFinding[], origins: Record<string, string> = {}): Block {
  if (findings.length === 0) return { kind: 'list', title: 'Hygiene', items: [{ severity: 'ok', text: 'No hygiene findings' }] };
  const items: ListItem[] = findings.map((f) => ({ severity: f.severity, text: `**${f.title}**`, detail: `${f.why}\nFix: ${f.fix}${origins[f.id] ? `\n${origins[f.id]}` : ''}` }));
  return { kind: 'list', title: `Hygiene findings (${findings.length})`, items };
}

function summaryLine(data: StatusData, findings: HygieneFinding[]): string {
  const parts = [bucketLabel(data.bucket)];
  if (data.storage.objects !== null && data.storage.totalBytes !== null) {
    parts.push(`${formatCount(data.storage.objects)} objects, ${formatBytes(data.storage.totalBytes)}`);
  } else parts.push(data.metricsAnswered === false ? 'CloudWatch did not answer' : 'no storage metrics yet');
  if (data.lastHour?.errorRate != null) parts.push(`${formatPercent(data.lastHour.errorRate)} errors in 1 h`);
  const firing = data.alerts?.length ?? 0;
  if (firing > 0) parts.push(`${firing} alert${firing === 1 ? '' : 's'} firing`);
  parts.push(findings.length === 0 ? 'no hygiene findings' : `${findings.length} hygiene finding${findings.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}
