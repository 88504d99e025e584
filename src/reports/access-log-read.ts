/** A configured bucket's access log for a window, or the reason it cannot be read: what the reports call. */
import { code } from '../message/markup.js';
import type { AwsPorts, BucketFacts } from '../aws/ports.js';
import type { Logger } from '../lib/logger.js';
import { accessLogFailure, type AccessLogReadBudget, type AccessLogWindow, readAccessLogWindow, whyNoAccessLog } from '../access-logs/read-window.js';

/** A failure keeps the error behind it (`cause`), so a report can tell a source that did not answer from one that is wrong. */
export type BucketAccessLog = { ok: true; window: AccessLogWindow } | { ok: false; reason: string; cause?: unknown };

export interface ReadBucketAccessLogOptions {
  /** The most the window reads (`uploads.logObjectBudget`, `uploads.logByteBudget`); the default budget when absent. */
  budget?: AccessLogReadBudget;
}

/** Reads the bucket's access log over `[start, end]`; never throws (a failure is logged and becomes the reason). */
export async function readBucketAccessLog(ports: AwsPorts, facts: BucketFacts, range: { start: Date; end: Date }, logger: Logger, options: ReadBucketAccessLogOptions = {}): Promise<BucketAccessLog> {
  if (!ports.accessLogs) return { ok: false, reason: 'access logs are not available here' };
  const reason = whyNoAccessLog(facts.logging, facts.problems.find((p) => p.fact === 'logging')?.message);
  if (reason !== null || !facts.logging) return { ok: false, reason: reason ?? 'server access logging is off for this bucket' };
  try {
    const window = await readAccessLogWindow({
      ports: ports.accessLogs,
      logging: facts.logging,
      source: { bucket: facts.bucket, region: facts.region },
      start: range.start,
      end: range.end,
      logger,
      ...(options.budget ? { budget: options.budget } : {}),
    });
    return { ok: true, window };
  } catch (error) {
    logger.warn({ err: error, bucket: facts.bucket, logBucket: facts.logging.targetBucket }, 'could not read the access log');
    return { ok: false, reason: `its access log in ${code(facts.logging.targetBucket)} could not be read: ${accessLogFailure(error)}`, cause: error };
  }
}
