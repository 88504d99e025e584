// Seeds moto with buckets, objects, CloudWatch datapoints and Cost Explorer results for tests.
// Every bucket gets a unique name, so test files can run in parallel against the one moto.
import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { GetCostAndUsageResponse } from '@aws-sdk/client-cost-explorer';
import {
  CreateBucketCommand,
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
  HeadBucketCommand,
  type BucketLocationConstraint,
  type LifecycleRule,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import type { AwsClientFactory, AwsServiceClients } from '../../src/aws/clients.js';
import { CLOCK_OFFSET_HEADER } from '../../src/playground/demo-seed.js';
import { createTestAwsClients, motoUrl, TEST_REGION } from './services.js';

/** The header the moto launcher reads to stamp one request's objects with a shifted clock (the demo's seeding uses it too). */
export { CLOCK_OFFSET_HEADER } from '../../src/playground/demo-seed.js';

const DAY_SECONDS = 86_400;

/** A valid, unique bucket name starting with `prefix`. */
export function uniqueBucketName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 30) || 'test';
  const unique = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  return `${clean}-${unique}`.slice(0, 63);
}

export interface BucketSeed {
  /** Created with this LocationConstraint (default us-east-1), through a client of that region. */
  region?: string;
  /** Created in this account (through the role `seedRoleArn(account)` assumed with moto's STS); default: moto's default account. */
  account?: string;
  versioning?: 'Enabled' | 'Suspended';
  encryption?: { algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse'; kmsKeyId?: string; bucketKeyEnabled?: boolean };
  /** `true` turns on all four settings. */
  publicAccessBlock?:
    | true
    | { blockPublicAcls: boolean; ignorePublicAcls: boolean; blockPublicPolicy: boolean; restrictPublicBuckets: boolean };
  /** A policy document, or `'public'` for one that lets anyone read objects. */
  policy?: 'public' | Record<string, unknown>;
  /** The target bucket is created (with the log-delivery ACL) if it does not exist. */
  logging?: { targetBucket: string; targetPrefix?: string; partitioned?: boolean; partitionDateSource?: 'EventTime' | 'DeliveryTime' };
  lifecycle?: LifecycleRule[];
  /** Needs `versioning: 'Enabled'`, as in AWS. */
  replication?: { role: string; rules: { id: string; destinationBucket: string; prefix?: string; enabled?: boolean }[] };
  /** Request-metrics configurations; a string is a whole-bucket filter id. */
  metricsConfigIds?: (string | { id: string; prefix?: string })[];
  tags?: Record<string, string>;
  accelerate?: 'Enabled' | 'Suspended';
}

/** Where a seed goes: an account other than moto's default (through a role) and a region. */
export interface SeedPlace {
  account?: string;
  region?: string;
}

/** The role the seed (and the tests' configurations) assume in another account; moto's STS lets any be assumed. */
export function seedRoleArn(account: string): string {
  return `arn:aws:iam::${account}:role/s3-chatops-read`;
}

let sharedS3: S3Client | undefined;
let seedFactory: AwsClientFactory | undefined;
/** Every seeded bucket's place, so later seeds of it go to the same account and region. */
const placeOfBucket = new Map<string, SeedPlace>();

function s3(bucket?: string): S3Client {
  const place = bucket === undefined ? undefined : placeOfBucket.get(bucket);
  if (place?.account || place?.region) return placeClient('s3', place);
  sharedS3 ??= createTestAwsClients().s3;
  return sharedS3;
}

function placeClient<S extends 's3' | 'cloudWatch'>(service: S, place: SeedPlace): AwsServiceClients[S] {
  seedFactory ??= createTestAwsClients({ accounts: [] }).factory;
  const account = place.account;
  if (account && !seedFactory.hasRole(account)) {
    seedFactory.release();
    const accounts = new Set([...placeOfBucket.values()].flatMap((p) => (p.account ? [p.account] : [])));
    accounts.add(account);
    seedFactory = createTestAwsClients({ accounts: [...accounts].map((id) => ({ id, roleArn: seedRoleArn(id) })) }).factory;
  }
  return seedFactory.get(service, { ...(account ? { account } : {}), region: place.region ?? TEST_REGION });
}

/** Creates a bucket in moto with the given configuration; returns its name. */
export async function createBucket(name: string, seed: BucketSeed = {}): Promise<string> {
  if (seed.account || seed.region) placeOfBucket.set(name, { ...(seed.account ? { account: seed.account } : {}), ...(seed.region ? { region: seed.region } : {}) });
  const client = s3(name);
  const region = seed.region && seed.region !== 'us-east-1' ? seed.region : undefined;
  await client.send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } } : {}),
    }),
  );
  if (seed.versioning) {
    await client.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: seed.versioning } }));
  }
  if (seed.encryption) {
    const { algorithm, kmsKeyId, bucketKeyEnabled } = seed.encryption;
    await client.send(
      new PutBucketEncryptionCommand({
        Bucket: name,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm, ...(kmsKeyId ? { KMSMasterKeyID: kmsKeyId } : {}) },
              ...(bucketKeyEnabled !== undefined ? { BucketKeyEnabled: bucketKeyEnabled } : {}),
            },
          ],
        },
      }),
    );
  }
  if (seed.publicAccessBlock) {
    const pab =
      seed.publicAccessBlock === true
        ? { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true }
        : seed.publicAccessBlock;
    await client.send(
      new PutPublicAccessBlockCommand({
        Bucket: name,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: pab.blockPublicAcls,
          IgnorePublicAcls: pab.ignorePublicAcls,
          BlockPublicPolicy: pab.blockPublicPolicy,
          RestrictPublicBuckets: pab.restrictPublicBuckets,
        },
      }),
    );
  }
  if (seed.policy) {
    const document =
      seed.policy === 'public'
        ? {
            Version: '2012-10-17',
            Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` }],
          }
        : seed.policy;
    await client.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(document) }));
  }
  if (seed.logging) {
    const { targetBucket, targetPrefix, partitioned, partitionDateSource } = seed.logging;
    if (!(await bucketExists(targetBucket))) await client.send(new CreateBucketCommand({ Bucket: targetBucket }));
    // As AWS asks today: the logging service may put objects into the target bucket.
    const deliveryPolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'S3ServerAccessLogsPolicy',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: ['s3:PutObject'],
          Resource: `arn:aws:s3:::${targetBucket}/*`,
        },
      ],
    };
    await client.send(new PutBucketPolicyCommand({ Bucket: targetBucket, Policy: JSON.stringify(deliveryPolicy) }));
    await client.send(
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
  if (seed.lifecycle) {
    await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket: name, LifecycleConfiguration: { Rules: seed.lifecycle } }));
  }
  if (seed.replication) {
    await client.send(
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
    await client.send(
      new PutBucketMetricsConfigurationCommand({
        Bucket: name,
        Id: id,
        MetricsConfiguration: { Id: id, ...(prefix !== undefined ? { Filter: { Prefix: prefix } } : {}) },
      }),
    );
  }
  if (seed.tags) {
    await client.send(
      new PutBucketTaggingCommand({
        Bucket: name,
        Tagging: { TagSet: Object.entries(seed.tags).map(([Key, Value]) => ({ Key, Value })) },
      }),
    );
  }
  if (seed.accelerate) {
    await client.send(new PutBucketAccelerateConfigurationCommand({ Bucket: name, AccelerateConfiguration: { Status: seed.accelerate } }));
  }
  return name;
}

async function bucketExists(name: string): Promise<boolean> {
  try {
    await s3().send(new HeadBucketCommand({ Bucket: name }));
    return true;
  } catch {
    return false;
  }
}

export interface ObjectSeed {
  key: string;
  /** Bytes of body (filled with `x`); default 1. */
  size?: number;
  /** How old the object's LastModified is, in days (fractions allowed); default 0. */
  ageDays?: number;
  storageClass?: StorageClass;
  /** Object tags, set with the write (`x-amz-tagging`). */
  tags?: Record<string, string>;
}

/** Puts objects, each stamped `ageDays` in the past through the launcher's clock header. */
export async function putObjects(bucket: string, objects: ObjectSeed[]): Promise<void> {
  const limit = pLimit(8);
  await Promise.all(
    objects.map((object) =>
      limit(async () => {
        const command = new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          Body: Buffer.alloc(object.size ?? 1, 'x'),
          ...(object.storageClass ? { StorageClass: object.storageClass } : {}),
          ...(object.tags ? { Tagging: new URLSearchParams(object.tags).toString() } : {}),
        });
        const offset = -Math.round((object.ageDays ?? 0) * DAY_SECONDS);
        command.middlewareStack.add(
          (next) => async (args) => {
            const request = args.request as { headers?: Record<string, string> };
            if (request.headers) request.headers[CLOCK_OFFSET_HEADER] = String(offset);
            return next(args);
          },
          { step: 'build', name: 'motoClockOffset' },
        );
        await s3(bucket).send(command);
      }),
    ),
  );
}

/** Midnight UTC `daysAgo` days before `now`. */
function dayStart(now: Date, daysAgo: number): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return new Date(day.getTime() - daysAgo * DAY_SECONDS * 1000);
}

/** A constant, or one value per day, oldest first. */
type DailyValue = number | number[];

function valueOn(value: DailyValue, dayIndex: number): number {
  return typeof value === 'number' ? value : value[Math.min(dayIndex, value.length - 1)] ?? 0;
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

/** Puts S3's daily storage metrics (AWS/S3, BucketName + StorageType, period 86400). */
export async function putStorageMetrics(bucket: string, seed: StorageMetricsSeed): Promise<void> {
  const now = seed.now ?? new Date();
  const data: MetricDatum[] = [];
  for (let index = 0; index < seed.days; index += 1) {
    const timestamp = dayStart(now, seed.days - 1 - index);
    for (const [storageType, value] of Object.entries(seed.sizeBytesByStorageType)) {
      data.push(storageDatum(bucket, 'BucketSizeBytes', storageType, valueOn(value, index), 'Bytes', timestamp));
    }
    data.push(storageDatum(bucket, 'NumberOfObjects', 'AllStorageTypes', valueOn(seed.objects, index), 'Count', timestamp));
  }
  await putMetricData('AWS/S3', data, placeOfBucket.get(bucket));
}

function storageDatum(bucket: string, name: string, storageType: string, value: number, unit: 'Bytes' | 'Count', timestamp: Date): MetricDatum {
  return {
    MetricName: name,
    Dimensions: [
      { Name: 'BucketName', Value: bucket },
      { Name: 'StorageType', Value: storageType },
    ],
    Value: value,
    Unit: unit,
    Timestamp: timestamp,
    StorageResolution: 60,
  };
}

/** The request metrics S3 publishes per minute for a metrics configuration (filter). */
export const REQUEST_METRIC_NAMES = [
  'AllRequests',
  'GetRequests',
  'PutRequests',
  '4xxErrors',
  '5xxErrors',
  'TotalRequestLatency',
  'FirstByteLatency',
] as const;
export type RequestMetricName = (typeof REQUEST_METRIC_NAMES)[number];

/** One minute of request metrics; a metric left out is not put for that minute. */
export type RequestMetricsPoint = { at: Date } & Partial<Record<RequestMetricName, number>>;

/** Puts request metrics (AWS/S3, BucketName + FilterId), one datapoint per metric per minute. */
export async function putRequestMetrics(bucket: string, filterId: string, points: RequestMetricsPoint[]): Promise<void> {
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
  await putMetricData('AWS/S3', data, placeOfBucket.get(bucket));
}

/** Puts datapoints in the bucket's own account and region (CloudWatch is regional), as S3 would. */
async function putMetricData(namespace: string, data: MetricDatum[], place?: SeedPlace): Promise<void> {
  if (place) {
    const cloudWatch = placeClient('cloudWatch', place);
    for (let i = 0; i < data.length; i += 500) await cloudWatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + 500) }));
    return;
  }
  const { cloudWatch } = createTestAwsClients();
  try {
    // PutMetricData takes at most 1,000 datums a call.
    for (let i = 0; i < data.length; i += 500) {
      await cloudWatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + 500) }));
    }
  } finally {
    cloudWatch.destroy();
  }
}

/**
 * One GetCostAndUsage answer for moto to hand out. With `_match` (request fields such as
 * `{ TimePeriod: { Start, End } }`, or `NextPageToken` for a later page) it goes only to a request
 * with those fields, which keeps parallel test files from taking each other's results; without
 * it, the next request with new parameters takes it, in order.
 */
export type CostResultSeed = GetCostAndUsageResponse & { _match?: Record<string, unknown> };

/** Queues Cost Explorer results in moto (POST /moto-api/static/ce/cost-and-usage-results). */
export async function injectCostResults(results: CostResultSeed[], account?: string): Promise<void> {
  const response = await fetch(`${motoUrl()}/moto-api/static/ce/cost-and-usage-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // Another account's Cost Explorer answers only requests signed with that account's credentials.
    body: JSON.stringify({ results, ...(account ? { account_id: account } : {}) }),
  });
  if (response.status !== 201) throw new Error(`moto refused the cost results: ${response.status} ${await response.text()}`);
}

/**
 * Empties moto (every bucket, metric and queued result, for every test file running now): use
 * it only in a file that runs alone; unique bucket names make it unnecessary elsewhere.
 */
export async function resetMoto(): Promise<void> {
  const response = await fetch(`${motoUrl()}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto did not reset: ${response.status}`);
}
