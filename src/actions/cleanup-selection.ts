/**
 * What a cleanup may delete: the old keys under the test prefix, and by default only those the
 * test upload itself wrote. A key counts as written by the product when it has the form
 * `testObjectKey` gives (free to check, so a wrong prefix full of real data costs no requests)
 * and every object version of it carries the `s3-chatops=test` tag (one GetObjectTagging per old
 * version of such a key: the proof, since a name alone can be typed by anyone). The preview
 * judges by the form alone, so it answers at listing speed; the deletion reads the tags, so what
 * it deletes is never more than the preview showed.
 */
import { GetObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { awsErrorName, toUserFacingError } from '../aws/errors.js';
import { listTestVersions } from './cleanup-listing.js';
import { planCleanup, type CleanupPlan, type DeleteTarget, type ListedVersion } from './cleanup-plan.js';
import { isTestObjectKey, TEST_OBJECT_TAG } from './test-upload.js';

/** The scope a person sees in the preview and confirms. */
export interface CleanupRequest {
  prefix: string;
  cutoff: Date;
  /** Also delete old keys the test upload did not write (`cleanup.includeUnmarked`). */
  includeUnmarked: boolean;
}

/** Tag reads in flight at once for one cleanup. */
const TAG_READS_AT_ONCE = 16;

/** How sure the plan must be that a key is the test upload's: its form (a preview), or its form and its tags (a deletion). */
export type MarkCheck = 'form' | 'form-and-tags';

/** Lists the test prefix and plans what `request` allows to delete; deletes nothing. `signal` cancels the listing. */
export async function planRequestedCleanup(s3: S3Client, bucket: string, request: CleanupRequest, check: MarkCheck, signal?: AbortSignal): Promise<CleanupPlan> {
  const listing = await listTestVersions(s3, bucket, request.prefix, signal);
  return planFromListing(s3, bucket, listing, request, check);
}

/** Plans from a listing already read: every old key, or only the marked ones among them. */
export async function planFromListing(s3: S3Client, bucket: string, listing: readonly ListedVersion[], request: CleanupRequest, check: MarkCheck): Promise<CleanupPlan> {
  const everyOldKey = planCleanup(listing, { prefix: request.prefix, cutoff: request.cutoff });
  if (request.includeUnmarked) return everyOldKey;
  const ofForm = everyOldKey.targets.filter((t) => isTestObjectKey(request.prefix, t.key));
  const marked = check === 'form' ? new Set(ofForm.map((t) => t.key)) : await taggedKeys(s3, bucket, ofForm);
  return planCleanup(listing, { prefix: request.prefix, cutoff: request.cutoff, marked });
}

/** Keys among `targets` whose every object version carries the test tag. */
async function taggedKeys(s3: S3Client, bucket: string, targets: readonly DeleteTarget[]): Promise<Set<string>> {
  const byKey = new Map<string, DeleteTarget[]>();
  for (const t of targets) {
    const versions = byKey.get(t.key);
    if (versions) versions.push(t);
    else byKey.set(t.key, [t]);
  }
  const limit = pLimit(TAG_READS_AT_ONCE);
  const verdicts = await Promise.all(
    [...byKey].map(([key, versions]) =>
      limit(async () => {
        // Delete markers have no tags; a key left with only markers holds no data to lose.
        for (const v of versions) if (!v.isDeleteMarker && !(await carriesTestTag(s3, bucket, v))) return undefined;
        return key;
      }),
    ),
  );
  return new Set(verdicts.filter((k): k is string => k !== undefined));
}

async function carriesTestTag(s3: S3Client, bucket: string, target: DeleteTarget): Promise<boolean> {
  try {
    const answer = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: target.key, ...(target.versionId !== 'null' ? { VersionId: target.versionId } : {}) }));
    return (answer.TagSet ?? []).some((t) => t.Key === TEST_OBJECT_TAG.key && t.Value === TEST_OBJECT_TAG.value);
  } catch (error) {
    // Gone since the listing: nothing to delete, so not marked.
    if (['NoSuchKey', 'NoSuchVersion', 'NotFound'].includes(awsErrorName(error))) return false;
    throw toUserFacingError(error, { service: 'S3', operation: 'GetObjectTagging', bucket });
  }
}
