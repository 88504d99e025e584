/**
 * The scheduled test uploads' history, read back from their queue: each finished job keeps its
 * result (`processScheduledTestUpload` returns it) for a day, which is what the digest reports.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { testUploadDigestSource, type TestUploadRun, type TestUploadRunReader } from '../reports/digest/test-upload-source.js';
import type { DigestTestUploadSource } from '../reports/digest/types.js';
import { TEST_UPLOAD_QUEUE, type ScheduledTestUploadData } from './scheduled-test-upload.js';
import { closeSharedQueue } from '../lib/close-queue.js';
import { openSharedQueue } from '../lib/open-queue.js';

/** Finished jobs read per Redis round trip. */
const PAGE = 200;

/** The queue calls the history reads; a BullMQ `Queue` has them. */
export type FinishedJobs = Pick<Queue<ScheduledTestUploadData>, 'getJobs'>;

/** Runs from finished jobs, newest first, until one finished before `since`. */
export async function readTestUploadRuns(queue: FinishedJobs, since: Date): Promise<TestUploadRun[]> {
  const runs: TestUploadRun[] = [];
  for (let start = 0; ; start += PAGE) {
    // Completed jobs are kept in the order they finished; newest first.
    const jobs = await queue.getJobs(['completed'], start, start + PAGE - 1, false);
    for (const job of jobs) {
      const run = runOf(job.data, job.returnvalue as unknown);
      if (run && run.startedAt.getTime() >= since.getTime()) runs.push(run);
    }
    const oldest = jobs.at(-1)?.finishedOn;
    if (jobs.length < PAGE || (oldest !== undefined && oldest < since.getTime())) return runs;
  }
}

/** A reader over the queue on `connection`; it opens the queue for each read, once a digest. */
export function scheduledTestUploadRuns(options: { connection: Redis; prefix?: string | undefined }): TestUploadRunReader {
  return {
    async runsSince(since) {
      const queue = openSharedQueue<ScheduledTestUploadData>(TEST_UPLOAD_QUEUE, options.connection, options.prefix);
      // A Queue reports connection trouble as events; the read's own rejection says what went wrong.
      queue.on('error', () => undefined);
      try {
        return await readTestUploadRuns(queue, since);
      } finally {
        await closeSharedQueue(queue);
      }
    },
  };
}

/** A run from a job's data and result; `null` for a job without one (a bucket no longer configured). */
function runOf(data: ScheduledTestUploadData | undefined, result: unknown): TestUploadRun | null {
  if (!data || typeof result !== 'object' || result === null) return null;
  const r = result as { ok?: unknown; totalMs?: unknown; startedAt?: unknown };
  const startedAt = typeof r.startedAt === 'string' ? new Date(r.startedAt) : null;
  if (typeof r.ok !== 'boolean' || typeof r.totalMs !== 'number' || startedAt === null || Number.isNaN(startedAt.getTime())) return null;
  return { bucket: data.bucket, ok: r.ok, totalMs: r.totalMs, startedAt };
}

/** The digest's test-upload line read from the scheduled uploads' queue, where uploads are scheduled (`schedules.testUpload`). */
export function scheduledTestUploadSource(config: { schedules: { testUpload?: unknown } }, queue: { connection: Redis; prefix?: string | undefined }): DigestTestUploadSource | undefined {
  if (!config.schedules.testUpload) return undefined;
  return testUploadDigestSource(scheduledTestUploadRuns({ connection: queue.connection, ...(queue.prefix ? { prefix: queue.prefix } : {}) }));
}
