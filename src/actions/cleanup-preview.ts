/** The cleanup preview of one bucket: list the test prefix, plan with a cutoff fixed now, show it. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { BucketConfig } from '../config/schema.js';
import type { Message } from '../render/model.js';
import { bucketLabel } from '../reports/types.js';
import { listTestVersions } from './cleanup-listing.js';
import { cleanupPreviewMessage } from './cleanup-messages.js';
import { cleanupCutoff, planCleanup, type CleanupPlan } from './cleanup-plan.js';

export interface CleanupPreview {
  message: Message;
  plan: CleanupPlan;
  cutoff: Date;
}

/** Lists and plans a cleanup of `bucket`'s old test files; deletes nothing. */
export async function previewCleanup(s3: S3Client, bucket: BucketConfig, olderThanDays: number, now: Date): Promise<CleanupPreview> {
  const cutoff = cleanupCutoff(now, olderThanDays);
  const plan = planCleanup(await listTestVersions(s3, bucket.name, bucket.testPrefix), { prefix: bucket.testPrefix, cutoff });
  const message = cleanupPreviewMessage({ bucket: bucket.name, label: bucketLabel(bucket), prefix: bucket.testPrefix, olderThanDays, cutoff, plan });
  return { message, plan, cutoff };
}
