// Seeds a versioned bucket the way the cleanup tests need it, and reads back what is left.
import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { createBucket, putObjects, uniqueBucketName } from '../../helpers/seed.js';

export const PREFIX = '_s3-chatops/test/';

export interface CleanupSeed {
  bucket: string;
  oldKeys: string[];
  recentKeys: string[];
  outsideKeys: string[];
  /** Versions of the old keys (what the cleanup must delete). */
  oldVersions: number;
}

/** A versioned bucket with `old` old test objects (every 10th with two more versions), `recent` recent ones and `outside` objects elsewhere. */
export async function seedCleanupBucket(name: string, counts: { old: number; recent: number; outside: number }): Promise<CleanupSeed> {
  const bucket = await createBucket(uniqueBucketName(name), { versioning: 'Enabled' });
  const pad = (i: number) => String(i).padStart(5, '0');
  const oldKeys = Array.from({ length: counts.old }, (_, i) => `${PREFIX}old-${pad(i)}.bin`);
  const recentKeys = Array.from({ length: counts.recent }, (_, i) => `${PREFIX}recent-${pad(i)}.bin`);
  // Outside the prefix, old, and some named to look like test files: none may go.
  const outsideKeys = Array.from({ length: counts.outside }, (_, i) => (i % 2 ? `docs/case-${pad(i)}.pdf` : `_s3-chatops/test-${pad(i)}.bin`));
  const multi = oldKeys.filter((_, i) => i % 10 === 0);
  await putObjects(bucket, [
    ...oldKeys.map((key) => ({ key, size: 10, ageDays: 20 })),
    ...recentKeys.map((key) => ({ key, size: 10, ageDays: 1 })),
    ...outsideKeys.map((key) => ({ key, size: 10, ageDays: 30 })),
  ]);
  // Later versions, each after the one before: a second and a third put of every tenth old key.
  await putObjects(bucket, multi.map((key) => ({ key, size: 20, ageDays: 15 })));
  await putObjects(bucket, multi.map((key) => ({ key, size: 30, ageDays: 10 })));
  return { bucket, oldKeys, recentKeys, outsideKeys, oldVersions: oldKeys.length + multi.length * 2 };
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
