import { DeleteObjectsCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { executeCleanup, MAX_RECORDED_FAILURES, type CleanupProgress } from '../../../src/actions/cleanup-executor.js';
import { silentLogger } from '../../../src/lib/logger.js';

const prefix = '_s3-chatops/test/';
const cutoff = new Date('2026-11-19T00:00:00Z');
const old = new Date('2026-11-01T00:00:00Z');

/** An S3 stand-in: a listing of `n` old test objects in pages of 1,000, and DeleteObjects that fails the keys asked. */
function fakeS3(n: number, failKeys: Set<string> = new Set()) {
  const keys = Array.from({ length: n }, (_, i) => `${prefix}k-${String(i).padStart(5, '0')}`);
  const deleteCalls: number[] = [];
  const s3 = {
    async send(command: unknown) {
      if (command instanceof ListObjectVersionsCommand) {
        const start = command.input.KeyMarker ? keys.indexOf(command.input.KeyMarker) + 1 : 0;
        const page = keys.slice(start, start + 1_000);
        const truncated = start + 1_000 < keys.length;
        return { Versions: page.map((Key) => ({ Key, VersionId: 'null', IsLatest: true, LastModified: old, Size: 10 })), IsTruncated: truncated, NextKeyMarker: truncated ? page.at(-1) : undefined, NextVersionIdMarker: truncated ? 'null' : undefined };
      }
      if (command instanceof DeleteObjectsCommand) {
        const objects = command.input.Delete!.Objects!;
        deleteCalls.push(objects.length);
        return { Errors: objects.filter((o) => failKeys.has(o.Key!)).map((o) => ({ Key: o.Key, VersionId: o.VersionId, Code: 'AccessDenied', Message: 'Access Denied' })) };
      }
      throw new Error('unexpected command');
    },
  };
  return { s3: s3 as unknown as S3Client, deleteCalls, keys };
}

describe('executeCleanup', () => {
  it('deletes in batches of 1,000, reports progress after each, and lists every per-key failure', async () => {
    const { s3, deleteCalls, keys } = fakeS3(2_345, new Set([`${prefix}k-00007`]));
    const seen: CleanupProgress[] = [];
    const result = await executeCleanup({ s3, logger: silentLogger(), onProgress: async (p) => void seen.push(p) }, 'b', { prefix, cutoff });
    expect(deleteCalls).toEqual([1_000, 1_000, 345]);
    expect(seen.map((p) => p.deleted)).toEqual([999, 1_999, 2_344]);
    expect(result).toMatchObject({ deleted: keys.length - 1, bytes: (keys.length - 1) * 10, total: keys.length, done: true });
    expect(result.failures).toEqual([{ key: `${prefix}k-00007`, versionId: 'null', code: 'AccessDenied', message: 'Access Denied' }]);
  });

  it('lists the first failures only, and counts them all', async () => {
    const failing = new Set(Array.from({ length: 250 }, (_, i) => `${prefix}k-${String(i * 5).padStart(5, '0')}`));
    const { s3 } = fakeS3(1_250, failing);
    const result = await executeCleanup({ s3, logger: silentLogger() }, 'b', { prefix, cutoff });
    expect(result.failures).toHaveLength(MAX_RECORDED_FAILURES);
    expect(result.failedCount).toBe(250);
    expect(result.deleted).toBe(1_000);
  });

  it('resumes from recorded progress: the count goes on, and only what is still listed is deleted', async () => {
    const { s3, deleteCalls } = fakeS3(500);
    const previous: CleanupProgress = { deleted: 1_500, bytes: 15_000, total: 2_000, batches: 2, failures: [], failedCount: 0, done: false };
    const result = await executeCleanup({ s3, logger: silentLogger() }, 'b', { prefix, cutoff }, previous);
    expect(deleteCalls).toEqual([500]);
    expect(result).toMatchObject({ deleted: 2_000, bytes: 20_000, total: 2_000, batches: 3, done: true });
  });
});
