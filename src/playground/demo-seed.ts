/**
 * The demo's data, written into the local emulator so every report has something true to show:
 * a bucket with objects, request metrics (with errors), storage metrics, server access logs in
 * a log bucket (uploads, reads and denied requests), old test files for the cleanup, and Cost
 * Explorer results.
 */
import type { CloudWatchClient, MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import { deliveryStamp } from '../access-logs/key-format.js';
import { accessLogRecord } from './access-log-record.js';
import { TEST_OBJECT_TAG, testObjectKey } from '../actions/test-upload.js';
import { S3_SERVICE_NAME } from '../aws/cost-explorer.js';
import { createSeededBucket, injectCostResults, putMetricData, putSeededObjects, requestMetricData, storageMetricData, utcDayStart, type ObjectSeed, type RequestMetricsPoint } from './emulator-seed.js';

export { CLOCK_OFFSET_HEADER } from './emulator-seed.js';

/** The demo's buckets and the names the demo configuration gives them. */
export const DEMO = {
  bucket: 's3-chatops-demo-docs',
  alias: 'demo',
  logBucket: 's3-chatops-demo-logs',
  logPrefix: 'access/',
  testPrefix: '_s3-chatops/test/',
  filterId: 'EntireBucket',
  account: '123456789012',
} as const;

/** The demo configuration: one bucket, the playground's channels, the playground user allowed to clean up. */
export function demoConfigYaml(playgroundUser: string): string {
  return [
    'buckets:',
    `  - name: ${DEMO.bucket}`,
    `    alias: ${DEMO.alias}`,
    '    quota: 5GB',
    `    testPrefix: ${DEMO.testPrefix}`,
    `    requestMetricsFilterId: ${DEMO.filterId}`,
    'channels: { alerts: C0ALERTS, digest: C0DIGEST, audit: C0AUDIT }',
    `cleanup: { olderThanDays: 7, allowedUsers: [${playgroundUser}] }`,
    'budget: { monthlyUsd: 40 }',
    // Every minute, so the demo's alerts show within a minute of starting.
    'schedules: { alertEvaluation: "* * * * *" }',
    '',
  ].join('\n');
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface DemoClients {
  s3: S3Client;
  cloudWatch: CloudWatchClient;
  /** moto's URL, for its Cost Explorer results queue. */
  endpoint: string;
}

/** Seeds the emulator at `endpoint` with the demo's buckets, objects, metrics, logs and costs. */
export async function seedDemo(clients: DemoClients, now: Date = new Date()): Promise<void> {
  const { s3 } = clients;
  await createSeededBucket(s3, DEMO.bucket, {
    versioning: 'Enabled',
    publicAccessBlock: true,
    metricsConfigIds: [DEMO.filterId],
    logging: { targetBucket: DEMO.logBucket, targetPrefix: DEMO.logPrefix },
  });
  const uploads = demoUploads(now);
  const testFile = (at: Date, i = 0): ObjectSeed => ({ key: testObjectKey(DEMO.testPrefix, new Date(at.getTime() - i)), size: 1024, at, tags: { [TEST_OBJECT_TAG.key]: TEST_OBJECT_TAG.value } });
  await putSeededObjects(s3, DEMO.bucket, [
    ...uploads,
    // Test files the test upload left behind: the old ones are what Clean up test files offers to delete.
    ...[9, 12, 15, 21, 30].map((days, i) => testFile(new Date(now.getTime() - days * DAY_MS), i)),
    testFile(new Date(now.getTime() - DAY_MS)),
  ]);
  await putSeededObjects(s3, DEMO.logBucket, accessLogObjects(uploads, now));
  await putMetricData(clients.cloudWatch, 'AWS/S3', [...storageMetrics(now), ...requestMetrics(now)]);
  await queueCosts(clients.endpoint, now);
}

interface DemoUpload {
  key: string;
  size: number;
  at: Date;
}

/** Documents uploaded over the last few hours, newest first. */
function demoUploads(now: Date): DemoUpload[] {
  const names = ['cases/2026/case-1042/discharge-summary.pdf', 'cases/2026/case-1041/consent-form.pdf', 'cases/2026/case-1040/operative-note.docx', 'invoices/2026-11/provider-payment-7.pdf', 'cases/2026/case-1039/imaging-report.pdf', 'exports/weekly/cases.csv', 'cases/2026/case-1038/lab-results.pdf', 'invoices/2026-11/provider-payment-6.pdf'];
  return names.map((key, i) => ({ key, size: 40_000 + i * 37_123, at: new Date(now.getTime() - (i * 5 + 3) * 60 * MINUTE_MS / 10) }));
}

const APP_ROLE = `arn:aws:sts::${DEMO.account}:assumed-role/CaseApp/i-0demo`;
const INTRUDER = `arn:aws:sts::${DEMO.account}:assumed-role/Contractor/laptop-7`;

/** One of the demo bucket's records: the case app's, from inside the VPC, unless said otherwise. */
function logLine(at: Date, operation: string, key: string, status: number, options: { error?: string; requester?: string; ip?: string; size?: number; userAgent?: string } = {}): string {
  return accessLogRecord({
    bucket: DEMO.bucket,
    at,
    operation,
    key,
    status,
    requestId: `DEMO${at.getTime().toString(16).toUpperCase()}`,
    requester: options.requester ?? APP_ROLE,
    ip: options.ip ?? '10.0.3.17',
    userAgent: options.userAgent ?? 'aws-sdk-js/3.700.0 case-app/2.4',
    ...(options.error ? { error: options.error } : {}),
    ...(options.size !== undefined ? { size: options.size } : {}),
  });
}

/** Log objects as S3 delivers them: the uploads, reads, a failed upload and denied requests, each within the hour after it happened. */
function accessLogObjects(uploads: DemoUpload[], now: Date): { key: string; body: string; at: Date }[] {
  const lines: { at: Date; line: string }[] = [];
  for (const upload of uploads) {
    lines.push({ at: upload.at, line: logLine(upload.at, 'REST.PUT.OBJECT', upload.key, 200, { size: upload.size }) });
    const read = new Date(upload.at.getTime() + 4 * MINUTE_MS);
    if (read < now) lines.push({ at: read, line: logLine(read, 'REST.GET.OBJECT', upload.key, 200, { size: upload.size }) });
  }
  const failed = new Date(now.getTime() - 95 * MINUTE_MS);
  lines.push({ at: failed, line: logLine(failed, 'REST.PUT.OBJECT', 'cases/2026/case-1037/scan.tiff', 500, { error: 'InternalError' }) });
  for (const minutes of [25, 22, 18]) {
    const at = new Date(now.getTime() - minutes * MINUTE_MS);
    lines.push({ at, line: logLine(at, 'REST.GET.OBJECT', 'invoices/2026-11/provider-payment-7.pdf', 403, { error: 'AccessDenied', requester: INTRUDER, ip: '203.0.113.9', userAgent: 'curl/8.5.0' }) });
  }
  // One object per ten minutes of records, delivered five minutes after its last record.
  const byWindow = new Map<number, string[]>();
  for (const { at, line } of lines.sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const window = Math.floor(at.getTime() / (10 * MINUTE_MS));
    byWindow.set(window, [...(byWindow.get(window) ?? []), line]);
  }
  return [...byWindow.entries()].map(([window, windowLines], i) => {
    const delivered = new Date(Math.min((window + 1) * 10 * MINUTE_MS + 5 * MINUTE_MS, now.getTime() - MINUTE_MS));
    return { key: `${DEMO.logPrefix}${deliveryStamp(delivered)}-DEMO${String(i).padStart(12, '0')}`, body: `${windowLines.join('\n')}\n`, at: delivered };
  });
}

/** Fourteen days of daily storage metrics, growing towards the quota. */
function storageMetrics(now: Date): MetricDatum[] {
  const grown = (start: number, perDay: number) => Array.from({ length: 14 }, (_, day) => start + day * perDay);
  return storageMetricData(DEMO.bucket, { days: 14, now, sizeBytesByStorageType: { StandardStorage: grown(3_100_000_000, 45_000_000), StandardIAStorage: 420_000_000 }, objects: grown(18_400, 130) });
}

/**
 * Three hours of per-minute request metrics: a steady load, and in the last half hour a burst of
 * errors above the default error-rate threshold, so the demo's alert fires and can be snoozed.
 */
function requestMetrics(now: Date): MetricDatum[] {
  const points: RequestMetricsPoint[] = [];
  const lastMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  for (let m = 180; m >= 0; m -= 1) {
    const burst = m <= 30;
    const all = 120 + ((m * 37) % 40);
    points.push({
      at: new Date(lastMinute - m * MINUTE_MS),
      AllRequests: all,
      GetRequests: Math.round(all * 0.7),
      PutRequests: Math.round(all * 0.2),
      '4xxErrors': burst ? Math.round(all * 0.16) : 2,
      '5xxErrors': burst ? 3 : 0,
      TotalRequestLatency: 85 + (m % 7) * 6,
      FirstByteLatency: 22 + (m % 5) * 3,
    });
  }
  return requestMetricData(DEMO.bucket, DEMO.filterId, points);
}

/**
 * Queues daily S3 cost by usage type for the last two months in moto's Cost Explorer: each
 * question by usage type (the report's, the digest's, the budget alert's) takes one copy.
 */
async function queueCosts(endpoint: string, now: Date): Promise<void> {
  const days = Array.from({ length: 62 }, (_, i) => utcDayStart(now, 61 - i));
  const date = (d: Date) => d.toISOString().slice(0, 10);
  const result = {
    _match: { GroupBy: [{ Type: 'DIMENSION', Key: 'USAGE_TYPE' }], Filter: { Dimensions: { Key: 'SERVICE', Values: [S3_SERVICE_NAME] } } },
    ResultsByTime: days.map((day) => ({
      TimePeriod: { Start: date(day), End: date(new Date(day.getTime() + DAY_MS)) },
      Total: {},
      Groups: [
        { Keys: ['USE1-TimedStorage-ByteHrs'], Metrics: { UnblendedCost: { Amount: (0.92 + day.getUTCDate() * 0.004).toFixed(4), Unit: 'USD' } } },
        { Keys: ['USE1-Requests-Tier1'], Metrics: { UnblendedCost: { Amount: (0.31 + (day.getUTCDay() % 3) * 0.05).toFixed(4), Unit: 'USD' } } },
        { Keys: ['USE1-DataTransfer-Out-Bytes'], Metrics: { UnblendedCost: { Amount: '0.1800', Unit: 'USD' } } },
      ],
      Estimated: day.getTime() >= utcDayStart(now, 1).getTime(),
    })),
  };
  await injectCostResults(endpoint, Array.from({ length: 20 }, () => result));
}
