// Seeds moto with buckets, objects, CloudWatch datapoints and Cost Explorer results for tests,
// through the product's emulator seeding (the demo's too), with each bucket's own account and region.
// Every bucket gets a unique name, so test files can run in parallel against the one moto.
import type { S3Client } from '@aws-sdk/client-s3';
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { AwsClientFactory, AwsServiceClients } from '../../src/aws/clients.js';
import {
  createSeededBucket,
  injectCostResults as injectCostResultsAt,
  putMetricData as putMetricDataThrough,
  putSeededObjects,
  requestMetricData,
  storageMetricData,
  type BucketSeed as EmulatorBucketSeed,
  type CostResultSeed,
  type ObjectSeed as EmulatorObjectSeed,
  type RequestMetricsPoint,
  type StorageMetricsSeed,
} from '../../src/playground/emulator-seed.js';
import { createTestAwsClients, motoUrl, TEST_REGION } from './services.js';

/** The header the moto launcher reads to stamp one request's objects with a shifted clock (the demo's seeding uses it too). */
export { CLOCK_OFFSET_HEADER, REQUEST_METRIC_NAMES, type CostResultSeed, type RequestMetricName, type RequestMetricsPoint, type StorageMetricsSeed } from '../../src/playground/emulator-seed.js';

const DAY_SECONDS = 86_400;

/** A valid, unique bucket name starting with `prefix`. */
export function uniqueBucketName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 30) || 'test';
  const unique = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  return `${clean}-${unique}`.slice(0, 63);
}

export interface BucketSeed extends EmulatorBucketSeed {
  /** Created in this account (through the role `seedRoleArn(account)` assumed with moto's STS); default: moto's default account. */
  account?: string;
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

/** Creates a bucket in moto with the given configuration, in its account and region; returns its name. */
export async function createBucket(name: string, seed: BucketSeed = {}): Promise<string> {
  if (seed.account || seed.region) placeOfBucket.set(name, { ...(seed.account ? { account: seed.account } : {}), ...(seed.region ? { region: seed.region } : {}) });
  return createSeededBucket(s3(name), name, seed);
}

export interface ObjectSeed extends Omit<EmulatorObjectSeed, 'at' | 'body'> {
  /** How old the object's LastModified is, in days (fractions allowed); default 0. */
  ageDays?: number;
}

/** Puts objects, each stamped `ageDays` in the past through the launcher's clock header. */
export async function putObjects(bucket: string, objects: ObjectSeed[]): Promise<void> {
  const now = Date.now();
  await putSeededObjects(
    s3(bucket),
    bucket,
    objects.map(({ ageDays, ...object }) => ({ ...object, ...(ageDays ? { at: new Date(now - ageDays * DAY_SECONDS * 1000) } : {}) })),
  );
}

/** Puts S3's daily storage metrics (AWS/S3, BucketName + StorageType, period 86400). */
export async function putStorageMetrics(bucket: string, seed: StorageMetricsSeed): Promise<void> {
  await putMetricData(storageMetricData(bucket, seed), placeOfBucket.get(bucket));
}

/** Puts request metrics (AWS/S3, BucketName + FilterId), one datapoint per metric per minute. */
export async function putRequestMetrics(bucket: string, filterId: string, points: RequestMetricsPoint[]): Promise<void> {
  await putMetricData(requestMetricData(bucket, filterId, points), placeOfBucket.get(bucket));
}

/** Puts datapoints in the bucket's own account and region (CloudWatch is regional), as S3 would. */
async function putMetricData(data: MetricDatum[], place?: SeedPlace): Promise<void> {
  if (place) return putMetricDataThrough(placeClient('cloudWatch', place), 'AWS/S3', data);
  const { cloudWatch } = createTestAwsClients();
  try {
    await putMetricDataThrough(cloudWatch, 'AWS/S3', data);
  } finally {
    cloudWatch.destroy();
  }
}

/** Queues Cost Explorer results in moto; another account's answer only requests signed with its credentials. */
export async function injectCostResults(results: CostResultSeed[], account?: string): Promise<void> {
  await injectCostResultsAt(motoUrl(), results, account);
}

/**
 * Empties moto (every bucket, metric and queued result, for every test file running now): use
 * it only in a file that runs alone; unique bucket names make it unnecessary elsewhere.
 */
export async function resetMoto(): Promise<void> {
  const response = await fetch(`${motoUrl()}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto did not reset: ${response.status}`);
}
