/**
 * The test upload: write an object under the test prefix (tagged `s3-chatops=test`; multipart
 * through lib-storage past the part size), read it back, compare SHA-256, optionally delete it,
 * timing each step. It never throws: a failure is a result that names its step and its cause.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Logger } from 'pino';
import { UserFacingError } from '../lib/errors.js';
import { code } from '../message/markup.js';
import { untilAborted } from '../reports/unanswered.js';
import type { S3Monitor } from '../metrics/s3-monitor.js';
import { describeStepFailure, StepTimeoutError, type TestUploadFailure, type TestUploadStepName } from './test-upload-failure.js';

/**
 * The operation counted once per test upload as a whole (`utility_operations_total`): a write that
 * succeeds is still an `s3_upload` success even when the read-back or checksum then fails.
 */
export const TEST_UPLOAD_OPERATION = 's3_test_upload';

/** The tag every test object carries. */
export const TEST_OBJECT_TAG = { key: 's3-chatops', value: 'test' } as const;

export interface TestUploadSettings {
  sizeBytes: number;
  /** Past this size the write is multipart, in parts of this size (S3's minimum is 5 MiB). */
  partSizeBytes: number;
  deleteAfter: boolean;
  /** Each step's time limit. */
  timeoutMs: number;
}

export interface TestUploadDeps {
  s3: S3Client;
  logger: Logger;
  now: () => Date;
  monitor?: S3Monitor;
  /** A millisecond clock for the step times; `performance.now` by default. */
  clock?: () => number;
  /**
   * The deadline of the command that asked (`/s3 test`): past it the step running is cancelled and
   * the rest skipped. Absent for scheduled uploads, which have only each step's `timeoutMs`.
   */
  signal?: AbortSignal;
}

/** How long a test upload cancelled at its command's deadline tries to delete what it may have written: the answer is owed now. */
export const CANCELLED_DELETE_MS = 500;

export interface TestUploadStep {
  name: TestUploadStepName;
  ok: boolean;
  ms: number;
}

export interface TestUploadResult {
  ok: boolean;
  bucket: string;
  key: string;
  sizeBytes: number;
  multipart: boolean;
  steps: TestUploadStep[];
  totalMs: number;
  startedAt: Date;
  /** The version the write made, on a bucket that keeps versions: the one the delete step removes. */
  versionId?: string;
  failure?: TestUploadFailure;
}

/** The key of a test object written at `at`. */
export function testObjectKey(prefix: string, at: Date): string {
  return `${prefix}${at.toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.bin`;
}

/** The name `testObjectKey` gives, after the prefix: the write's time and 8 hex digits. */
const TEST_OBJECT_NAME = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{8}\.bin$/;

/** Whether `key` has the form of a key `testObjectKey` makes under `prefix` (directly in it, no deeper). */
export function isTestObjectKey(prefix: string, key: string): boolean {
  return key.startsWith(prefix) && TEST_OBJECT_NAME.test(key.slice(prefix.length));
}

/** Random bytes of `size`, as a stream for large sizes, hashed as they are made. */
function testBody(size: number, hash: ReturnType<typeof createHash>): Buffer | Readable {
  if (size <= 8 * 1024 * 1024) {
    const body = randomBytes(size);
    hash.update(body);
    return body;
  }
  let left = size;
  return Readable.from(
    (function* chunks() {
      while (left > 0) {
        const chunk = randomBytes(Math.min(left, 1024 * 1024));
        left -= chunk.length;
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
}

/** Runs one test upload against `bucket` under `prefix`. */
export async function runTestUpload(deps: TestUploadDeps, bucket: string, prefix: string, settings: TestUploadSettings): Promise<TestUploadResult> {
  const clock = deps.clock ?? (() => performance.now());
  const startedAt = deps.now();
  const key = testObjectKey(prefix, startedAt);
  const multipart = settings.sizeBytes > settings.partSizeBytes;
  const result: TestUploadResult = { ok: false, bucket, key, sizeBytes: settings.sizeBytes, multipart, steps: [], totalMs: 0, startedAt };
  const log = deps.logger.child({ bucket, key, size: settings.sizeBytes });
  const began = clock();
  let written: string | undefined;
  let readBack: string | undefined;
  // Set once the command's deadline cut a step or kept one from starting.
  let cut = false;
  const cancelledBefore = (name: TestUploadStepName): boolean => {
    if (!deps.signal?.aborted) return false;
    cut = true;
    result.failure ??= describeStepFailure(name, deps.signal.reason, bucket);
    return true;
  };

  const step = async (name: TestUploadStepName, run: (signal: AbortSignal) => Promise<void>): Promise<boolean> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new StepTimeoutError(name, settings.timeoutMs)), settings.timeoutMs);
    const signal = deps.signal ? AbortSignal.any([controller.signal, deps.signal]) : controller.signal;
    const at = clock();
    try {
      // Not waited for past its signal: a step whose S3 call ignores the abort still gives back the upload.
      await untilAborted(run(signal), signal);
      result.steps.push({ name, ok: true, ms: clock() - at });
      return true;
    } catch (error) {
      const cause = signal.aborted ? (signal.reason as unknown) : error;
      if (deps.signal?.aborted) cut = true;
      result.steps.push({ name, ok: false, ms: clock() - at });
      result.failure ??= describeStepFailure(name, cause, bucket);
      log.warn({ err: error, step: name, reason: result.failure.reason }, 'test upload step failed');
      return false;
    } finally {
      clearTimeout(timer);
    }
  };

  const wrote = await step('write', async (signal) => {
    const hash = createHash('sha256');
    const upload = new Upload({
      client: deps.s3,
      params: {
        Bucket: bucket,
        Key: key,
        Body: testBody(settings.sizeBytes, hash),
        ContentType: 'application/octet-stream',
        // Tagged at write (header), so the object is never there untagged.
        Tagging: `${TEST_OBJECT_TAG.key}=${TEST_OBJECT_TAG.value}`,
      },
      partSize: Math.max(settings.partSizeBytes, 5 * 1024 * 1024),
      queueSize: 4,
      leavePartsOnError: false,
    });
    signal.addEventListener('abort', () => void upload.abort().catch(() => undefined), { once: true });
    const answer = await upload.done();
    // PutObject and CompleteMultipartUpload both answer the version written (absent when the bucket keeps none).
    if (answer.VersionId) result.versionId = answer.VersionId;
    written = hash.digest('hex');
  });
  // `s3_upload` is the write alone, as for any application's upload; the whole test is TEST_UPLOAD_OPERATION.
  deps.monitor?.recordUploadOperation({ success: wrote, fileSize: settings.sizeBytes, duration: result.steps[0]!.ms });

  if (wrote && !cancelledBefore('read')) {
    const read = await step('read', async (signal) => {
      const answer = await deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      const hash = createHash('sha256');
      for await (const chunk of answer.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
      readBack = hash.digest('hex');
    });
    if (read) {
      await step('verify', async () => {
        if (readBack !== written) throw Object.assign(new Error('checksum mismatch'), { checksum: true });
      });
      if (result.failure?.step === 'verify') {
        result.failure = { step: 'verify', reason: 'checksum', message: `The object read back from \`${bucket}\` is not the one written: SHA-256 ${readBack?.slice(0, 12)}… against ${written?.slice(0, 12)}…` };
      }
    }
    // The object is deleted even after a failed read, so failures leave no litter (cleanup would catch it anyway).
    if (settings.deleteAfter && !cancelledBefore('delete')) {
      const at = clock();
      const deleted = await step('delete', async (signal) => {
        // By version id: without one, a versioned bucket would only hide the object under a delete marker.
        const answer = await deps.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(result.versionId ? { VersionId: result.versionId } : {}) }), { abortSignal: signal });
        if (!result.versionId && answer.DeleteMarker) {
          throw new UserFacingError('aws_error', `S3 kept the test object in \`${bucket}\` under a delete marker (the write answered no version id), so it was not really deleted; the next cleanup removes it.`);
        }
      });
      deps.monitor?.recordOperation('s3_delete', deleted, clock() - at);
    }
  }
  if (cut && !result.steps.some((s) => s.name === 'delete' && s.ok)) await removeCancelled(deps, result, log);
  result.totalMs = clock() - began;
  result.ok = result.failure === undefined;
  deps.monitor?.recordOperation(TEST_UPLOAD_OPERATION, result.ok, result.totalMs);
  log.info({ ok: result.ok, totalMs: Math.round(result.totalMs), failedStep: result.failure?.step }, 'test upload finished');
  return result;
}

/**
 * After the command's deadline cancelled the upload: deletes what the write may have left, briefly
 * and outside the cancelled signal, and says in the failure whether the object is gone or left.
 */
async function removeCancelled(deps: TestUploadDeps, result: TestUploadResult, log: Logger): Promise<void> {
  const { bucket, key, versionId } = result;
  let gone = false;
  try {
    const answer = await deps.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }), { abortSignal: AbortSignal.timeout(CANCELLED_DELETE_MS) });
    gone = versionId !== undefined || !answer.DeleteMarker;
  } catch (error) {
    log.warn({ err: error }, 'could not delete the object of a cancelled test upload');
  }
  const after = gone
    ? 'Whatever it had written was deleted.'
    : `The test object ${code(key)} may be left under the test prefix (S3 did not confirm its deletion); \`/s3 cleanup\` removes it once it is old enough.`;
  if (result.failure) result.failure = { ...result.failure, message: `${result.failure.message} ${after}` };
}
