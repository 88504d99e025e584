/**
 * The demo's data, written into the local emulator so every report has something true to show:
 * a bucket with objects, request metrics (with errors), storage metrics, server access logs in
 * a log bucket (uploads, reads and denied requests), old test files for the cleanup, and Cost
 * Explorer results.
 */
import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import {
  CreateBucketCommand,
  PutBucketLoggingCommand,
  PutBucketMetricsConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import pLimit from 'p-limit';
import { deliveryStamp } from '../access-logs/key-format.js';
import { TEST_OBJECT_TAG, testObjectKey } from '../actions/test-upload.js';
import { S3_SERVICE_NAME } from '../aws/cost-explorer.js';

/** The header the moto launcher reads to stamp one request's objects with a shifted clock. */
export const CLOCK_OFFSET_HEADER = 'x-moto-clock-offset-seconds';

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
  await s3.send(new CreateBucketCommand({ Bucket: DEMO.bucket }));
  await s3.send(new CreateBucketCommand({ Bucket: DEMO.logBucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: DEMO.bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: DEMO.bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
  await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: DEMO.bucket, Id: DEMO.filterId, MetricsConfiguration: { Id: DEMO.filterId } }));
  const deliveryPolicy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'S3ServerAccessLogsPolicy', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: ['s3:PutObject'], Resource: `arn:aws:s3:::${DEMO.logBucket}/*` }],
  };
  await s3.send(new PutBucketPolicyCommand({ Bucket: DEMO.logBucket, Policy: JSON.stringify(deliveryPolicy) }));
  await s3.send(
    new PutBucketLoggingCommand({
      Bucket: DEMO.bucket,
      BucketLoggingStatus: { LoggingEnabled: { TargetBucket: DEMO.logBucket, TargetPrefix: DEMO.logPrefix, TargetObjectKeyFormat: { SimplePrefix: {} } } },
    }),
  );

  const uploads = demoUploads(now);
  await putAged(s3, [
    ...uploads.map((u) => ({ bucket: DEMO.bucket, key: u.key, body: Buffer.alloc(u.size, 'x'), at: u.at })),
    // Test files the test upload left behind: the old ones are what Clean up test files offers to delete.
    ...[9, 12, 15, 21, 30].map((days, i) => ({ bucket: DEMO.bucket, key: testObjectKey(DEMO.testPrefix, new Date(now.getTime() - days * DAY_MS - i)), body: Buffer.alloc(1024, 't'), at: new Date(now.getTime() - days * DAY_MS), tagged: true })),
    { bucket: DEMO.bucket, key: testObjectKey(DEMO.testPrefix, new Date(now.getTime() - DAY_MS)), body: Buffer.alloc(1024, 't'), at: new Date(now.getTime() - DAY_MS), tagged: true },
    ...accessLogObjects(uploads, now).map((o) => ({ bucket: DEMO.logBucket, key: o.key, body: Buffer.from(o.body), at: o.at })),
  ]);
  await putMetrics(clients.cloudWatch, [...storageMetrics(now), ...requestMetrics(now)]);
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

interface AgedObject {
  bucket: string;
  key: string;
  body: Buffer;
  at: Date;
  tagged?: boolean;
}

/** Puts objects stamped with their time in the past, through the launcher's per-request clock. */
async function putAged(s3: S3Client, objects: AgedObject[]): Promise<void> {
  const limit = pLimit(8);
  await Promise.all(
    objects.map((object) =>
      limit(async () => {
        const command = new PutObjectCommand({
          Bucket: object.bucket,
          Key: object.key,
          Body: object.body,
          ...(object.tagged ? { Tagging: new URLSearchParams({ [TEST_OBJECT_TAG.key]: TEST_OBJECT_TAG.value }).toString() } : {}),
        });
        const offsetSeconds = String(Math.round((object.at.getTime() - Date.now()) / 1000));
        command.middlewareStack.add(
          (next) => async (args) => {
            const request = args.request as { headers?: Record<string, string> };
            if (request.headers) request.headers[CLOCK_OFFSET_HEADER] = offsetSeconds;
            return next(args);
          },
          { step: 'build', name: 'demoClockOffset' },
        );
        await s3.send(command);
      }),
    ),
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');
const APP_ROLE = `arn:aws:sts::${DEMO.account}:assumed-role/CaseApp/i-0demo`;
const INTRUDER = `arn:aws:sts::${DEMO.account}:assumed-role/Contractor/laptop-7`;

/** One server access log record in AWS's documented format. */
function logLine(at: Date, operation: string, key: string, status: number, options: { error?: string; requester?: string; ip?: string; size?: number; userAgent?: string } = {}): string {
  const time = `[${pad(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000]`;
  const method = operation.split('.')[1] ?? 'GET';
  const requestId = `DEMO${at.getTime().toString(16).toUpperCase()}`;
  return [
    '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', DEMO.bucket, time, options.ip ?? '10.0.3.17', options.requester ?? APP_ROLE, requestId, operation, key,
    `"${method} /${DEMO.bucket}/${key} HTTP/1.1"`, String(status), options.error ?? '-', '-', options.size === undefined ? '-' : String(options.size), '42', '40', '"-"',
    `"${options.userAgent ?? 'aws-sdk-js/3.700.0 case-app/2.4'}"`, '-', 'hostid=', 'SigV4', 'TLS_AES_128_GCM_SHA256', 'AuthHeader', `${DEMO.bucket}.s3.us-east-1.amazonaws.com`, 'TLSv1.3', '-', '-', 'us-east-1',
  ].join(' ');
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

function utcMidnight(t: Date, daysAgo: number): Date {
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()) - daysAgo * DAY_MS);
}

/** Fourteen days of daily storage metrics, growing towards the quota. */
function storageMetrics(now: Date): MetricDatum[] {
  const data: MetricDatum[] = [];
  for (let daysAgo = 13; daysAgo >= 0; daysAgo -= 1) {
    const at = utcMidnight(now, daysAgo);
    const grown = 13 - daysAgo;
    const dimensions = (storageType: string) => [
      { Name: 'BucketName', Value: DEMO.bucket },
      { Name: 'StorageType', Value: storageType },
    ];
    data.push({ MetricName: 'BucketSizeBytes', Dimensions: dimensions('StandardStorage'), Value: 3_100_000_000 + grown * 45_000_000, Unit: 'Bytes', Timestamp: at });
    data.push({ MetricName: 'BucketSizeBytes', Dimensions: dimensions('StandardIAStorage'), Value: 420_000_000, Unit: 'Bytes', Timestamp: at });
    data.push({ MetricName: 'NumberOfObjects', Dimensions: dimensions('AllStorageTypes'), Value: 18_400 + grown * 130, Unit: 'Count', Timestamp: at });
  }
  return data;
}

/**
 * Three hours of per-minute request metrics: a steady load, and in the last half hour a burst of
 * errors above the default error-rate threshold, so the demo's alert fires and can be snoozed.
 */
function requestMetrics(now: Date): MetricDatum[] {
  const data: MetricDatum[] = [];
  const dimensions = [
    { Name: 'BucketName', Value: DEMO.bucket },
    { Name: 'FilterId', Value: DEMO.filterId },
  ];
  const lastMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  for (let m = 180; m >= 0; m -= 1) {
    const at = new Date(lastMinute - m * MINUTE_MS);
    const burst = m <= 30;
    const all = 120 + ((m * 37) % 40);
    const values: Record<string, number> = {
      AllRequests: all,
      GetRequests: Math.round(all * 0.7),
      PutRequests: Math.round(all * 0.2),
      '4xxErrors': burst ? Math.round(all * 0.16) : 2,
      '5xxErrors': burst ? 3 : 0,
      TotalRequestLatency: 85 + (m % 7) * 6,
      FirstByteLatency: 22 + (m % 5) * 3,
    };
    for (const [name, value] of Object.entries(values)) {
      data.push({ MetricName: name, Dimensions: dimensions, Value: value, Unit: name.endsWith('Latency') ? 'Milliseconds' : 'Count', Timestamp: at });
    }
  }
  return data;
}

async function putMetrics(cloudWatch: CloudWatchClient, data: MetricDatum[]): Promise<void> {
  // Small calls: past 10 KB the SDK gzips the request, which the emulator cannot read.
  const limit = pLimit(4);
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < data.length; i += 25) calls.push(limit(() => cloudWatch.send(new PutMetricDataCommand({ Namespace: 'AWS/S3', MetricData: data.slice(i, i + 25) }))));
  await Promise.all(calls);
}

/**
 * Queues daily S3 cost by usage type for the last two months in moto's Cost Explorer: each
 * question by usage type (the report's, the digest's, the budget alert's) takes one copy.
 */
async function queueCosts(endpoint: string, now: Date): Promise<void> {
  const days = Array.from({ length: 62 }, (_, i) => utcMidnight(now, 61 - i));
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
      Estimated: day.getTime() >= utcMidnight(now, 1).getTime(),
    })),
  };
  const response = await fetch(`${endpoint}/moto-api/static/ce/cost-and-usage-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ results: Array.from({ length: 20 }, () => result) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 201) throw new Error(`the emulator refused the demo's cost results: HTTP ${response.status}`);
}
