/**
 * Writes data into the local AWS emulator (moto's server, through the project's launcher): buckets
 * with their configuration, objects stamped in the past, CloudWatch datapoints as S3 publishes
 * them, and Cost Explorer results. The demo seeds its data with these, and so do the tests; the
 * caller brings the clients (of the account and region the data belongs to).
 */
import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { GetCostAndUsageResponse } from '@aws-sdk/client-cost-explorer';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketAccelerateConfigurationCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketMetricsConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketReplicationCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type LifecycleRule,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';

/** The header the moto launcher reads to stamp one request's objects with a shifted clock. */
export const CLOCK_OFFSET_HEADER = 'x-moto-clock-offset-seconds';

const DAY_MS = 86_400_000;
/** How long the emulator has to take one seeding request. */
const SEED_CALL_TIMEOUT_MS = 10_000;

export interface BucketSeed {
  /** Created with this LocationConstraint (default us-east-1); the client must be of that region. */
  region?: string;
  versioning?: 'Enabled' | 'Suspended';
  encryption?: { algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse'; kmsKeyId?: string; bucketKeyEnabled?: boolean };
  /** `true` turns on all four settings. */
  publicAccessBlock?: true | { blockPublicAcls: boolean; ignorePublicAcls: boolean; blockPublicPolicy: boolean; restrictPublicBuckets: boolean };
  /** A policy document, or `'public'` for one that lets anyone read objects. */
  policy?: 'public' | Record<string, unknown>;
  /** The target bucket is created (with the log-delivery policy) if it does not exist. */
  logging?: { targetBucket: string; targetPrefix?: string; partitioned?: boolean; partitionDateSource?: 'EventTime' | 'DeliveryTime' };
  lifecycle?: LifecycleRule[];
  /** Needs `versioning: 'Enabled'`, as in AWS. */
  replication?: { role: string; rules: { id: string; destinationBucket: string; prefix?: string; enabled?: boolean }[] };
  /** Request-metrics configurations; a string is a whole-bucket filter id. */
  metricsConfigIds?: (string | { id: string; prefix?: string })[];
  tags?: Record<string, string>;
  accelerate?: 'Enabled' | 'Suspended';
}

/** Creates a bucket with the given configuration through `s3`; returns its name. */
export async function createSeededBucket(s3: S3Client, name: string, seed: BucketSeed = {}): Promise<string> {
  const region = seed.region && seed.region !== 'us-east-1' ? seed.region : undefined;
  await s3.send(new CreateBucketCommand({ Bucket: name, ...(region ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } } : {}) }));
  if (seed.versioning) await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: seed.versioning } }));
  if (seed.encryption) {
    const { algorithm, kmsKeyId, bucketKeyEnabled } = seed.encryption;
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: name,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm, ...(kmsKeyId ? { KMSMasterKeyID: kmsKeyId } : {}) }, ...(bucketKeyEnabled !== undefined ? { BucketKeyEnabled: bucketKeyEnabled } : {}) }],
        },
      }),
    );
  }
  if (seed.publicAccessBlock) {
    const pab = seed.publicAccessBlock === true ? { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true } : seed.publicAccessBlock;
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: name,
        PublicAccessBlockConfiguration: { BlockPublicAcls: pab.blockPublicAcls, IgnorePublicAcls: pab.ignorePublicAcls, BlockPublicPolicy: pab.blockPublicPolicy, RestrictPublicBuckets: pab.restrictPublicBuckets },
      }),
    );
  }
  if (seed.policy) {
    const document =
      seed.policy === 'public' ? { Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` }] } : seed.policy;
    await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(document) }));
  }
  if (seed.logging) await enableLogging(s3, name, seed.logging);
  if (seed.lifecycle) await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: name, LifecycleConfiguration: { Rules: seed.lifecycle } }));
  if (seed.replication) {
    await s3.send(
      new PutBucketReplicationCommand({
        Bucket: name,
        ReplicationConfiguration: {
          Role: seed.replication.role,
          Rules: seed.replication.rules.map((rule, index) => ({
            ID: rule.id,
            Priority: index + 1,
            Status: rule.enabled === false ? 'Disabled' : 'Enabled',
            Filter: { Prefix: rule.prefix ?? '' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            Destination: { Bucket: `arn:aws:s3:::${rule.destinationBucket}` },
          })),
        },
      }),
    );
  }
  for (const entry of seed.metricsConfigIds ?? []) {
    const { id, prefix } = typeof entry === 'string' ? { id: entry, prefix: undefined } : entry;
    await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: name, Id: id, MetricsConfiguration: { Id: id, ...(prefix !== undefined ? { Filter: { Prefix: prefix } } : {}) } }));
  }
  if (seed.tags) await s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: Object.entries(seed.tags).map(([Key, Value]) => ({ Key, Value })) } }));
  if (seed.accelerate) await s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: name, AccelerateConfiguration: { Status: seed.accelerate } }));
  return name;
}

/** Server access logging to `targetBucket`, created if need be, with the delivery policy AWS asks for today. */
async function enableLogging(s3: S3Client, name: string, logging: NonNullable<BucketSeed['logging']>): Promise<void> {
  const { targetBucket, targetPrefix, partitioned, partitionDateSource } = logging;
  if (!(await bucketExists(s3, targetBucket))) await s3.send(new CreateBucketCommand({ Bucket: targetBucket }));
  const deliveryPolicy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'S3ServerAccessLogsPolicy', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: ['s3:PutObject'], Resource: `arn:aws:s3:::${targetBucket}/*` }],
  };
  await s3.send(new PutBucketPolicyCommand({ Bucket: targetBucket, Policy: JSON.stringify(deliveryPolicy) }));
  await s3.send(
    new PutBucketLoggingCommand({
      Bucket: name,
      BucketLoggingStatus: {
        LoggingEnabled: {
          TargetBucket: targetBucket,
          TargetPrefix: targetPrefix ?? '',
          TargetObjectKeyFormat: partitioned ? { PartitionedPrefix: { PartitionDateSource: partitionDateSource ?? 'EventTime' } } : { SimplePrefix: {} },
        },
      },
    }),
  );
}

async function bucketExists(s3: S3Client, name: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    return true;
  } catch {
    return false;
  }
}

export interface ObjectSeed {
  key: string;
  /** The object's bytes; `size` bytes of `x` (default 1) when absent. */
  body?: Buffer | string;
  size?: number;
  /** Its LastModified; now when absent. */
  at?: Date;
  storageClass?: StorageClass;
  /** Object tags, set with the write (`x-amz-tagging`). */
  tags?: Record<string, string>;
}

/** Puts objects, each stamped with its `at` through the launcher's clock header, `concurrency` at a time. */
export async function putSeededObjects(s3: S3Client, bucket: string, objects: ObjectSeed[], concurrency = 8): Promise<void> {
  const limit = pLimit(concurrency);
  await Promise.all(
    objects.map((object) =>
      limit(async () => {
        const command = new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          Body: object.body ?? Buffer.alloc(object.size ?? 1, 'x'),
          ...(object.storageClass ? { StorageClass: object.storageClass } : {}),
          ...(object.tags ? { Tagging: new URLSearchParams(object.tags).toString() } : {}),
        });
        const offset = object.at ? (object.at.getTime() - Date.now()) / 1000 : 0;
        command.middlewareStack.add(
          (next) => async (args) => {
            const request = args.request as { headers?: Record<string, string> };
            if (request.headers) request.headers[CLOCK_OFFSET_HEADER] = String(offset);
            return next(args);
          },
          { step: 'build', name: 'motoClockOffset' },
        );
        await s3.send(command, { abortSignal: AbortSignal.timeout(SEED_CALL_TIMEOUT_MS) });
      }),
    ),
  );
}

/** Midnight UTC `daysAgo` days before `now`. */
export function utcDayStart(now: Date, daysAgo: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY_MS);
}

/** A constant, or one value per day, oldest first. */
export type DailyValue = number | number[];

function valueOn(value: DailyValue, dayIndex: number): number {
  return typeof value === 'number' ? value : (value[Math.min(dayIndex, value.length - 1)] ?? 0);
}

export interface StorageMetricsSeed {
  /** How many daily datapoints, ending with today's midnight UTC. */
  days: number;
  /** BucketSizeBytes per StorageType (`StandardStorage`, `StandardIAStorage`, …). */
  sizeBytesByStorageType: Record<string, DailyValue>;
  /** NumberOfObjects (StorageType `AllStorageTypes`). */
  objects: DailyValue;
  now?: Date;
}

/** S3's daily storage metrics (AWS/S3, BucketName + StorageType, one a day at midnight UTC). */
export function storageMetricData(bucket: string, seed: StorageMetricsSeed): MetricDatum[] {
  const now = seed.now ?? new Date();
  const datum = (name: string, storageType: string, value: number, unit: 'Bytes' | 'Count', timestamp: Date): MetricDatum => ({
    MetricName: name,
    Dimensions: [
      { Name: 'BucketName', Value: bucket },
      { Name: 'StorageType', Value: storageType },
    ],
    Value: value,
    Unit: unit,
    Timestamp: timestamp,
    StorageResolution: 60,
  });
  const data: MetricDatum[] = [];
  for (let index = 0; index < seed.days; index += 1) {
    const timestamp = utcDayStart(now, seed.days - 1 - index);
    for (const [storageType, value] of Object.entries(seed.sizeBytesByStorageType)) data.push(datum('BucketSizeBytes', storageType, valueOn(value, index), 'Bytes', timestamp));
    data.push(datum('NumberOfObjects', 'AllStorageTypes', valueOn(seed.objects, index), 'Count', timestamp));
  }
  return data;
}

/** The request metrics S3 publishes per minute for a metrics configuration (filter). */
export const REQUEST_METRIC_NAMES = ['AllRequests', 'GetRequests', 'PutRequests', '4xxErrors', '5xxErrors', 'TotalRequestLatency', 'FirstByteLatency'] as const;
export type RequestMetricName = (typeof REQUEST_METRIC_NAMES)[number];

/** One minute of request metrics; a metric left out is not put for that minute. */
export type RequestMetricsPoint = { at: Date } & Partial<Record<RequestMetricName, number>>;

/** Request metrics (AWS/S3, BucketName + FilterId), one datapoint per metric per minute. */
export function requestMetricData(bucket: string, filterId: string, points: RequestMetricsPoint[]): MetricDatum[] {
  const data: MetricDatum[] = [];
  for (const point of points) {
    const minute = new Date(Math.floor(point.at.getTime() / 60_000) * 60_000);
    for (const name of REQUEST_METRIC_NAMES) {
      const value = point[name];
      if (value === undefined) continue;
      data.push({
        MetricName: name,
        Dimensions: [
          { Name: 'BucketName', Value: bucket },
          { Name: 'FilterId', Value: filterId },
        ],
        Value: value,
        Unit: name.endsWith('Latency') ? 'Milliseconds' : 'Count',
        Timestamp: minute,
      });
    }
  }
  return data;
}

/** Puts datapoints in small calls, four at a time: past 10 KB the SDK gzips the request, which the emulator cannot read. */
export async function putMetricData(cloudWatch: CloudWatchClient, namespace: string, data: MetricDatum[]): Promise<void> {
  const limit = pLimit(4);
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < data.length; i += 25) {
    const batch = data.slice(i, i + 25);
    calls.push(limit(() => cloudWatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }), { abortSignal: AbortSignal.timeout(SEED_CALL_TIMEOUT_MS) })));
  }
  await Promise.all(calls);
}

/**
 * One GetCostAndUsage answer for the emulator to hand out. With `_match` (request fields such as
 * `{ TimePeriod: { Start, End } }`, or `NextPageToken` for a later page) it goes only to a request
 * with those fields; without it, the next request with new parameters takes it, in order.
 */
export type CostResultSeed = GetCostAndUsageResponse & { _match?: Record<string, unknown> };

/** Queues Cost Explorer results in the emulator at `endpoint`; another account's answer only requests signed with its credentials. */
export async function injectCostResults(endpoint: string, results: CostResultSeed[], account?: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/static/ce/cost-and-usage-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ results, ...(account ? { account_id: account } : {}) }),
    signal: AbortSignal.timeout(SEED_CALL_TIMEOUT_MS),
  });
  if (response.status !== 201) throw new Error(`the emulator refused the cost results: HTTP ${response.status} ${await response.text()}`);
}
