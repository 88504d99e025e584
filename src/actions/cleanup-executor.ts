/** Deletes what the cleanup plan selects, in DeleteObjects batches of 1,000, resuming from recorded progress. */
import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import { toUserFacingError } from '../aws/errors.js';
import type { S3Monitor } from '../metrics/s3-monitor.js';
import { listTestVersions } from './cleanup-listing.js';
import { deleteBatches, planCleanup, type CleanupScope } from './cleanup-plan.js';

/** One version S3 would not delete, and why. */
export interface CleanupFailure {
  key: string;
  versionId: string;
  code: string;
  message: string;
}

/** How far a cleanup has got; saved after every batch so a restarted job goes on from there. */
export interface CleanupProgress {
  /** Versions and delete markers deleted so far, over every run of the job. */
  deleted: number;
  bytes: number;
  /** Deleted plus what the latest listing still found to delete. */
  total: number;
  batches: number;
  /** Failures of the latest run (a restart re-lists, so earlier failures are tried again), the first MAX_RECORDED_FAILURES of them. */
  failures: CleanupFailure[];
  /** How many versions failed in the latest run, listed or not. */
  failedCount: number;
  done: boolean;
}

export interface CleanupExecutorDeps {
  s3: S3Client;
  logger: Logger;
  monitor?: S3Monitor;
  /** Called after every batch with the progress so far (record it; edit a message). */
  onProgress?: (progress: CleanupProgress) => Promise<void>;
  /** Keys per DeleteObjects call; S3's maximum, 1,000, by default. */
  batchSize?: number;
}

/** Failures kept in the progress record; the summary says how many more there were. */
export const MAX_RECORDED_FAILURES = 200;

/**
 * Re-lists the test prefix (never trusting an older plan), plans with the cutoff fixed when the
 * cleanup was confirmed, and deletes batch by batch. `previous` is what an earlier run recorded.
 */
export async function executeCleanup(deps: CleanupExecutorDeps, bucket: string, scope: CleanupScope, previous?: CleanupProgress): Promise<CleanupProgress> {
  const listing = await listTestVersions(deps.s3, bucket, scope.prefix);
  const plan = planCleanup(listing, scope);
  const progress: CleanupProgress = {
    deleted: previous?.deleted ?? 0,
    bytes: previous?.bytes ?? 0,
    total: (previous?.deleted ?? 0) + plan.targets.length,
    batches: previous?.batches ?? 0,
    failures: [],
    failedCount: 0,
    done: false,
  };
  deps.logger.info({ bucket, prefix: scope.prefix, cutoff: scope.cutoff.toISOString(), remaining: plan.targets.length, resumedFrom: previous?.deleted ?? 0 }, 'cleanup planned');
  for (const batch of deleteBatches(plan.targets, deps.batchSize ?? 1_000)) {
    const started = performance.now();
    let errors: { Key?: string; VersionId?: string; Code?: string; Message?: string }[];
    try {
      const answer = await deps.s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          // Quiet: S3 answers only the failures, so a batch's answer stays small.
          Delete: { Quiet: true, Objects: batch.map((t) => ({ Key: t.key, VersionId: t.versionId })) },
        }),
      );
      errors = answer.Errors ?? [];
      deps.monitor?.recordOperation('s3_delete', errors.length === 0, performance.now() - started);
    } catch (error) {
      deps.monitor?.recordOperation('s3_delete', false, performance.now() - started);
      throw toUserFacingError(error, { service: 'S3', operation: 'DeleteObjects', bucket });
    }
    const failed = new Set(errors.map((e) => `${e.Key}\u0000${e.VersionId ?? ''}`));
    for (const t of batch) {
      if (failed.has(`${t.key}\u0000${t.versionId}`) || failed.has(`${t.key}\u0000`)) continue;
      progress.deleted += 1;
      progress.bytes += t.size;
    }
    progress.failedCount += errors.length;
    for (const e of errors) {
      if (progress.failures.length >= MAX_RECORDED_FAILURES) break;
      progress.failures.push({ key: e.Key ?? '?', versionId: e.VersionId ?? '', code: e.Code ?? 'Unknown', message: e.Message ?? '' });
    }
    progress.batches += 1;
    await deps.onProgress?.({ ...progress });
  }
  progress.done = true;
  deps.logger.info({ bucket, deleted: progress.deleted, bytes: progress.bytes, failures: progress.failedCount }, 'cleanup finished');
  return progress;
}
