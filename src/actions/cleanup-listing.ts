import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { notAnsweredError } from '../aws/deadlines.js';
import { toUserFacingError } from '../aws/errors.js';
import type { ListedVersion } from './cleanup-plan.js';

/**
 * Every version and delete marker under `prefix`, page by page (the SDK has no paginator for
 * ListObjectVersions' two markers). It answers unversioned buckets too (version id `null`), so
 * one listing serves every bucket. `signal` (a command's deadline) cancels it.
 */
export async function listTestVersions(s3: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<ListedVersion[]> {
  const listed: ListedVersion[] = [];
  try {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    for (;;) {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: 1_000, KeyMarker: keyMarker, VersionIdMarker: versionMarker }), signal ? { abortSignal: signal } : {});
      for (const v of page.Versions ?? []) {
        if (v.Key === undefined) continue;
        listed.push({ key: v.Key, versionId: v.VersionId ?? 'null', isDeleteMarker: false, isLatest: v.IsLatest ?? false, lastModified: v.LastModified ?? new Date(0), size: v.Size ?? 0 });
      }
      for (const m of page.DeleteMarkers ?? []) {
        if (m.Key === undefined) continue;
        listed.push({ key: m.Key, versionId: m.VersionId ?? 'null', isDeleteMarker: true, isLatest: m.IsLatest ?? false, lastModified: m.LastModified ?? new Date(0), size: 0 });
      }
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
      if (keyMarker === undefined && versionMarker === undefined) break;
    }
  } catch (error) {
    if (signal?.aborted) throw notAnsweredError('S3', 'ListObjectVersions', signal, error);
    throw toUserFacingError(error, { service: 'S3', operation: 'ListObjectVersions', bucket });
  }
  return listed;
}
