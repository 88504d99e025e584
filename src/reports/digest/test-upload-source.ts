/** The digest's test-upload line (`DigestTestUploadSource`), from the scheduled uploads' recorded runs. */
import type { DigestTestUploadSource, DigestTestUploadSummary } from './types.js';

/** One scheduled test upload as recorded when it finished. */
export interface TestUploadRun {
  bucket: string;
  ok: boolean;
  totalMs: number;
  startedAt: Date;
}

/** Where the recorded runs are read from (the scheduled-upload queue's finished jobs). */
export interface TestUploadRunReader {
  /** Every bucket's runs that started at or after `since`. */
  runsSince(since: Date): Promise<TestUploadRun[]>;
}

/**
 * Test uploads per bucket over the digest's day. The runs are read once per digest (the digest asks
 * for each bucket with the same `since`), not once per bucket; `slowestMs` is the slowest run that
 * passed, as a failed run's time says only how long it took to fail.
 */
export function testUploadDigestSource(reader: TestUploadRunReader): DigestTestUploadSource {
  let cached: { since: number; runs: Promise<TestUploadRun[]> } | undefined;
  const runsSince = (since: Date): Promise<TestUploadRun[]> => {
    if (cached?.since !== since.getTime()) {
      const runs = reader.runsSince(since);
      const entry = { since: since.getTime(), runs };
      cached = entry;
      // A failed read is asked again by the next digest, not remembered.
      runs.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.runs;
  };
  return {
    async summary(bucket: string, since: Date): Promise<DigestTestUploadSummary> {
      const runs = (await runsSince(since)).filter((r) => r.bucket === bucket && r.startedAt.getTime() >= since.getTime());
      const passed = runs.filter((r) => r.ok);
      return {
        runs: runs.length,
        failures: runs.length - passed.length,
        ...(passed.length > 0 ? { slowestMs: Math.max(...passed.map((r) => r.totalMs)) } : {}),
      };
    },
  };
}
