/** Deletes what the cleanup plan selects, in DeleteObjects batches of 1,000, resuming from recorded progress. */
import { DeleteObjectCommand, DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import { awsErrorName, toUserFacingError } from '../aws/errors.js';
import { UserFacingError } from '../lib/errors.js';
import type { S3Monitor } from '../metrics/s3-monitor.js';
import { deleteBatches, type DeleteTarget } from './cleanup-plan.js';
import { planRequestedCleanup, type CleanupRequest } from './cleanup-selection.js';

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
  /**
   * Keys deleted one version at a time with DeleteObject because a DeleteObjects XML body cannot
   * carry them (control characters), the first MAX_RECORDED_FAILURES of them; absent in progress
   * recorded before this was kept.
   */
  deletedSingly?: string[];
  /** Old keys of the latest listing kept because they are not the test upload's (its form or its tag missing). */
  keptUnmarked?: number;
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

/** What a confirmed cleanup may delete: the preview's scope and, from a preview, its count. */
export interface ConfirmedCleanup extends CleanupRequest {
  /** Keys the preview showed; a plan that has grown past it is refused (it is not what was confirmed). */
  maxKeys?: number;
}

/** Failures kept in the progress record; the summary says how many more there were. */
export const MAX_RECORDED_FAILURES = 200;

/**
 * Characters XML 1.0 cannot carry, even as character references: a DeleteObjects body naming a
 * key with one is refused whole by S3 (MalformedXML). DeleteObject puts the key in the URL instead.
 */
const NOT_IN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a DeleteObjects XML body can name `key`. */
export function fitsDeleteObjectsBody(key: string): boolean {
  return !NOT_IN_XML.test(key);
}

/**
 * Re-lists the test prefix (never trusting an older plan), plans with the cutoff fixed when the
 * cleanup was confirmed, and deletes batch by batch. `previous` is what an earlier run recorded.
 */
export async function executeCleanup(deps: CleanupExecutorDeps, bucket: string, scope: ConfirmedCleanup, previous?: CleanupProgress): Promise<CleanupProgress> {
  const plan = await planRequestedCleanup(deps.s3, bucket, scope, 'form-and-tags');
  if (scope.maxKeys !== undefined && plan.keys > scope.maxKeys) {
    deps.logger.warn({ bucket, prefix: scope.prefix, planned: plan.keys, confirmed: scope.maxKeys }, 'cleanup refused: more keys than the preview showed');
    throw new UserFacingError(
      'bad_input',
      `The cleanup of \`${bucket}\` now finds ${plan.keys} objects to delete, more than the ${scope.maxKeys} its preview showed; nothing more was deleted. Ask for a new preview with \`/s3 cleanup\`.`,
    );
  }
  const progress: CleanupProgress = {
    deleted: previous?.deleted ?? 0,
    bytes: previous?.bytes ?? 0,
    total: (previous?.deleted ?? 0) + plan.targets.length,
    batches: previous?.batches ?? 0,
    failures: [],
    failedCount: 0,
    deletedSingly: [],
    keptUnmarked: plan.unmarkedKept,
    done: false,
  };
  deps.logger.info({ bucket, prefix: scope.prefix, cutoff: scope.cutoff.toISOString(), includeUnmarked: scope.includeUnmarked, remaining: plan.targets.length, resumedFrom: previous?.deleted ?? 0 }, 'cleanup planned');
  for (const batch of deleteBatches(plan.targets, deps.batchSize ?? 1_000)) {
    const inBody = batch.filter((t) => fitsDeleteObjectsBody(t.key));
    const alone = batch.filter((t) => !fitsDeleteObjectsBody(t.key));
    const outcomes = [...(inBody.length > 0 ? await deleteInOneCall(deps, bucket, inBody) : []), ...(await deleteOneByOne(deps, bucket, alone))];
    for (const outcome of outcomes) {
      if (outcome.failure) {
        progress.failedCount += 1;
        if (progress.failures.length < MAX_RECORDED_FAILURES) progress.failures.push(outcome.failure);
        continue;
      }
      progress.deleted += 1;
      progress.bytes += outcome.target.size;
    }
    for (const t of alone) {
      const ok = outcomes.some((o) => o.target === t && !o.failure);
      if (ok && progress.deletedSingly!.length < MAX_RECORDED_FAILURES && !progress.deletedSingly!.includes(t.key)) progress.deletedSingly!.push(t.key);
    }
    progress.batches += 1;
    await deps.onProgress?.({ ...progress, failures: [...progress.failures], deletedSingly: [...progress.deletedSingly!] });
  }
  progress.done = true;
  deps.logger.info({ bucket, deleted: progress.deleted, bytes: progress.bytes, failures: progress.failedCount, deletedSingly: progress.deletedSingly?.length ?? 0, keptUnmarked: progress.keptUnmarked }, 'cleanup finished');
  return progress;
}

interface DeleteOutcome {
  target: DeleteTarget;
  failure?: CleanupFailure;
}

/** One DeleteObjects call; S3's per-key `Errors` become failures (reported, never retried by the job). */
async function deleteInOneCall(deps: CleanupExecutorDeps, bucket: string, batch: DeleteTarget[]): Promise<DeleteOutcome[]> {
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
    // A body S3 could not read despite the check above: one key at a time, so one bad key blocks nothing.
    if (awsErrorName(error) === 'MalformedXML') {
      deps.logger.warn({ bucket, keys: batch.length }, 'DeleteObjects refused the batch as malformed; deleting its keys one at a time');
      return deleteOneByOne(deps, bucket, batch);
    }
    throw toUserFacingError(error, { service: 'S3', operation: 'DeleteObjects', bucket });
  }
  const failed = new Map(errors.map((e) => [`${e.Key}\u0000${e.VersionId ?? ''}`, e]));
  return batch.map((target) => {
    const e = failed.get(`${target.key}\u0000${target.versionId}`) ?? failed.get(`${target.key}\u0000`);
    return e ? { target, failure: { key: target.key, versionId: target.versionId, code: e.Code ?? 'Unknown', message: e.Message ?? '' } } : { target };
  });
}

/** DeleteObject per version (the key travels URL-encoded); a refusal is that key's failure, not the batch's. */
async function deleteOneByOne(deps: CleanupExecutorDeps, bucket: string, targets: DeleteTarget[]): Promise<DeleteOutcome[]> {
  const outcomes: DeleteOutcome[] = [];
  for (const target of targets) {
    const started = performance.now();
    try {
      // Always by version id ("null" in an unversioned bucket), so a versioned bucket gets no delete marker.
      await deps.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: target.key, VersionId: target.versionId }));
      deps.monitor?.recordOperation('s3_delete', true, performance.now() - started);
      outcomes.push({ target });
    } catch (error) {
      deps.monitor?.recordOperation('s3_delete', false, performance.now() - started);
      const code = awsErrorName(error) || 'Unknown';
      deps.logger.warn({ bucket, code, versionId: target.versionId }, 'DeleteObject of a single key failed');
      outcomes.push({ target, failure: { key: target.key, versionId: target.versionId, code, message: error instanceof Error ? error.message : String(error) } });
    }
  }
  return outcomes;
}
