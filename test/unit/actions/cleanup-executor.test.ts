import { describe, expect, it } from 'vitest';
import { executeCleanup, MAX_RECORDED_FAILURES, type CleanupProgress } from '../../../src/actions/cleanup-executor.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { fakeS3, PREFIX as prefix } from './fake-cleanup-s3.js';

const cutoff = new Date('2026-11-19T00:00:00Z');

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
