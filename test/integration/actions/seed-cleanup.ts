// Seeds a versioned bucket the way the cleanup tests need it, and reads back what is left.
import { DeleteObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { testObjectKey } from '../../../src/actions/test-upload.js';
import { CLOCK_OFFSET_HEADER, createBucket, putObjects, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients } from '../../helpers/services.js';

export const PREFIX = '_s3-chatops/test/';
/** The tag the test upload writes: the seed's test files carry it, as the product's own would. */
export const TEST_TAGS = { 's3-chatops': 'test' };

export interface CleanupSeed {
  bucket: string;
  oldKeys: string[];
  recentKeys: string[];
  outsideKeys: string[];
  /** Old keys whose newest entry is an old delete marker: in scope, marker and versions alike. */
  markedKeys: string[];
  /** Under the prefix, written long ago but deleted yesterday: the recent marker keeps the key and its old version. */
  recentlyDeletedKeys: string[];
  /** Old objects under the prefix that the test upload did not write (untagged, other names): a default cleanup keeps them. */
  unmarkedOldKeys: string[];
  /** Versions and delete markers of the old keys (what the cleanup must delete). */
  oldVersions: number;
}

/**
 * A versioned bucket with `old` old test objects (every 10th with two more versions, every 25th
 * deleted long ago so its newest entry is a delete marker), `recent` recent ones, a few test keys
 * deleted only yesterday, and `outside` objects elsewhere (every 10th deleted long ago).
 */
export async function seedCleanupBucket(name: string, counts: { old: number; recent: number; outside: number }): Promise<CleanupSeed> {
  const bucket = await createBucket(uniqueBucketName(name), { versioning: 'Enabled' });
  const pad = (i: number) => String(i).padStart(5, '0');
  // Test files named as the test upload names them (sorted by their time, as their index).
  const testKey = (daysAgo: number, i: number) => testObjectKey(PREFIX, new Date(Date.now() - daysAgo * 86_400_000 + i));
  const oldKeys = Array.from({ length: counts.old }, (_, i) => testKey(20, i));
  const recentKeys = Array.from({ length: counts.recent }, (_, i) => testKey(1, i));
  const recentlyDeletedKeys = Array.from({ length: Math.max(1, Math.floor(counts.recent / 5)) }, (_, i) => testKey(20, counts.old + i));
  // Under the prefix and old, but not the test upload's: a real file, and one named like a test file but untagged.
  const unmarkedOldKeys = [`${PREFIX}quarterly-report-${pad(counts.old)}.pdf`, testKey(30, 0)];
  // Outside the prefix, old, and some named to look like test files: none may go.
  const outsideKeys = Array.from({ length: counts.outside }, (_, i) => (i % 2 ? `docs/case-${pad(i)}.pdf` : `_s3-chatops/test-${pad(i)}.bin`));
  const multi = oldKeys.filter((_, i) => i % 10 === 0);
  const markedKeys = oldKeys.filter((_, i) => i % 25 === 5);
  await putObjects(bucket, [
    ...oldKeys.map((key) => ({ key, size: 10, ageDays: 20, tags: TEST_TAGS })),
    ...recentKeys.map((key) => ({ key, size: 10, ageDays: 1, tags: TEST_TAGS })),
    ...recentlyDeletedKeys.map((key) => ({ key, size: 10, ageDays: 20, tags: TEST_TAGS })),
    ...outsideKeys.map((key) => ({ key, size: 10, ageDays: 30 })),
    ...unmarkedOldKeys.map((key) => ({ key, size: 10, ageDays: 30 })),
  ]);
  // Later versions, each after the one before: a second and a third put of every tenth old key.
  await putObjects(bucket, multi.map((key) => ({ key, size: 20, ageDays: 15, tags: TEST_TAGS })));
  await putObjects(bucket, multi.map((key) => ({ key, size: 30, ageDays: 10, tags: TEST_TAGS })));
  await deleteObjectsAged(bucket, markedKeys, 9);
  await deleteObjectsAged(bucket, recentlyDeletedKeys, 1);
  await deleteObjectsAged(bucket, outsideKeys.filter((_, i) => i % 10 === 0), 25);
  return { bucket, oldKeys, recentKeys, outsideKeys, markedKeys, recentlyDeletedKeys, unmarkedOldKeys, oldVersions: oldKeys.length + multi.length * 2 + markedKeys.length };
}

let s3ForSeeding: S3Client | undefined;

/** Deletes `keys` without a version id (a delete marker on top, as a person deleting would), stamped `ageDays` ago. */
async function deleteObjectsAged(bucket: string, keys: string[], ageDays: number): Promise<void> {
  s3ForSeeding ??= createTestAwsClients().s3;
  const client = s3ForSeeding;
  const limit = pLimit(8);
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        const command = new DeleteObjectCommand({ Bucket: bucket, Key: key });
        command.middlewareStack.add(
          (next) => async (args) => {
            const request = args.request as { headers?: Record<string, string> };
            if (request.headers) request.headers[CLOCK_OFFSET_HEADER] = String(-Math.round(ageDays * 86_400));
            return next(args);
          },
          { step: 'build', name: 'motoClockOffset' },
        );
        await client.send(command);
      }),
    ),
  );
}

/** Keys whose newest entry is a delete marker. */
export async function deleteMarkersLeft(s3: S3Client, bucket: string): Promise<Set<string>> {
  const marked = new Set<string>();
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker, VersionIdMarker }));
    for (const m of page.DeleteMarkers ?? []) if (m.IsLatest) marked.add(m.Key!);
    if (!page.IsTruncated) return marked;
    KeyMarker = page.NextKeyMarker;
    VersionIdMarker = page.NextVersionIdMarker;
  }
}

/** Every version and delete marker left in the bucket, as `key` → count. */
export async function versionsLeft(s3: S3Client, bucket: string): Promise<Map<string, number>> {
  const left = new Map<string, number>();
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker, VersionIdMarker }));
    for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) left.set(v.Key!, (left.get(v.Key!) ?? 0) + 1);
    if (!page.IsTruncated) return left;
    KeyMarker = page.NextKeyMarker;
    VersionIdMarker = page.NextVersionIdMarker;
  }
}
