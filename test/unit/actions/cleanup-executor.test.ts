import { describe, expect, it } from 'vitest';
import { executeCleanup, MAX_RECORDED_FAILURES, type CleanupProgress } from '../../../src/actions/cleanup-executor.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { testObjectKey } from '../../../src/actions/test-upload.js';
import { fakeS3, OLD, PREFIX as prefix } from './fake-cleanup-s3.js';

const cutoff = new Date('2026-11-19T00:00:00Z');

describe('executeCleanup', () => {
  it('deletes in batches of 1,000, reports progress after each, and lists every per-key failure', async () => {
    const { s3, deleteCalls, keys } = fakeS3(2_345, new Set([`${prefix}k-00007`]));
    const seen: CleanupProgress[] = [];
    const result = await executeCleanup({ s3, logger: silentLogger(), onProgress: async (p) => void seen.push(p) }, 'b', { prefix, cutoff, includeUnmarked: true });
    expect(deleteCalls).toEqual([1_000, 1_000, 345]);
    expect(seen.map((p) => p.deleted)).toEqual([999, 1_999, 2_344]);
    expect(result).toMatchObject({ deleted: keys.length - 1, bytes: (keys.length - 1) * 10, total: keys.length, done: true });
    expect(result.failures).toEqual([{ key: `${prefix}k-00007`, versionId: 'null', code: 'AccessDenied', message: 'Access Denied' }]);
  });

  it('lists the first failures only, and counts them all', async () => {
    const failing = new Set(Array.from({ length: 250 }, (_, i) => `${prefix}k-${String(i * 5).padStart(5, '0')}`));
    const { s3 } = fakeS3(1_250, failing);
    const result = await executeCleanup({ s3, logger: silentLogger() }, 'b', { prefix, cutoff, includeUnmarked: true });
    expect(result.failures).toHaveLength(MAX_RECORDED_FAILURES);
    expect(result.failedCount).toBe(250);
    expect(result.deleted).toBe(1_000);
  });

  it('resumes from recorded progress: the count goes on, and only what is still listed is deleted', async () => {
    const { s3, deleteCalls } = fakeS3(500);
    const previous: CleanupProgress = { deleted: 1_500, bytes: 15_000, total: 2_000, batches: 2, failures: [], failedCount: 0, done: false };
    const result = await executeCleanup({ s3, logger: silentLogger() }, 'b', { prefix, cutoff, includeUnmarked: true }, previous);
    expect(deleteCalls).toEqual([500]);
    expect(result).toMatchObject({ deleted: 2_000, bytes: 20_000, total: 2_000, batches: 3, done: true });
  });

  it('deletes a key DeleteObjects cannot carry one at a time, and the rest of its batch in one call; the summary lists it', async () => {
    const control = `${prefix}bad\u0001\u001b[2Jkey.bin`;
    const keys = [`${prefix}a.bin`, control, `${prefix}b.bin`];
    const { s3, deleteCalls, singleDeletes } = fakeS3(0, new Set(), undefined, { keys });
    const result = await executeCleanup({ s3, logger: silentLogger() }, 'b', { prefix, cutoff, includeUnmarked: true });
    expect(deleteCalls).toEqual([2]);
    expect(singleDeletes).toEqual([control]);
    expect(result).toMatchObject({ deleted: 3, failedCount: 0, deletedSingly: [control], done: true });
  });

  it('a key S3 refuses even alone is a listed failure, not a failed cleanup: the others are deleted', async () => {
    const control = `${prefix}bad\u0002.bin`;
    const { s3 } = fakeS3(0, new Set([control]), undefined, { keys: [`${prefix}a.bin`, control] });
    const result = await executeCleanup({ s3, logger: silentLogger() }, 'b', { prefix, cutoff, includeUnmarked: true });
    expect(result.deleted).toBe(1);
    expect(result.failures).toEqual([expect.objectContaining({ key: control, code: 'AccessDenied' })]);
    expect(result.deletedSingly).toEqual([]);
  });

  it('by default deletes only keys of the test upload\'s form that carry its tag, and reads tags only for those', async () => {
    const tagged = testObjectKey(prefix, OLD);
    const untaggedLookalike = testObjectKey(prefix, OLD);
    const real = `${prefix}quarterly-report.pdf`;
    const { s3, deleteCalls, tagReads } = fakeS3(0, new Set(), undefined, { keys: [tagged, untaggedLookalike, real], tagged: new Set([tagged]) });
    const result = await executeCleanup({ s3, logger: silentLogger() }, 'b', { prefix, cutoff, includeUnmarked: false });
    expect(result.deleted).toBe(1);
    expect(deleteCalls).toEqual([1]);
    expect(tagReads.sort()).toEqual([tagged, untaggedLookalike].sort());
  });

  it('refuses a plan that has grown past the count its preview showed, deleting nothing', async () => {
    const { s3, deleteCalls } = fakeS3(5);
    await expect(executeCleanup({ s3, logger: silentLogger() }, 'b', { prefix, cutoff, includeUnmarked: true, maxKeys: 4 })).rejects.toThrow(/more than the 4 its preview showed/);
    expect(deleteCalls).toEqual([]);
  });
});
