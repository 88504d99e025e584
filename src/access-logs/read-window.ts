/**
 * A window of a bucket's server access log: find the objects delivered since the window's
 * start, take each one's counts from the cache or parse it once, and keep the window's lines.
 */
import pLimit from 'p-limit';
import type { AccessLogPorts, LoggingFact, LogObjectSummary } from '../aws/ports.js';
import { UserFacingError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { countRecord, emptyCounts, type LogObjectCounts, type RequestLine } from './counts.js';
import { CountsCache } from './counts-cache.js';
import { findLogObjects, type LogSource } from './find-log-objects.js';
import { parseAccessLog } from './parse-stream.js';

/** Log objects read at once: enough to hide latency, few enough to stay polite to S3 and memory. */
const READ_CONCURRENCY = 4;

export interface AccessLogWindow {
  logBucket: string;
  logPrefix: string;
  partitioned: boolean;
  start: Date;
  end: Date;
  /** Log objects in the window, how many were parsed now and how many came from the cache. */
  objects: number;
  parsed: number;
  fromCache: number;
  /** ListObjectsV2 pages read to find them. */
  listCalls: number;
  /** Lines in those objects, and the lines that were not records. */
  lines: number;
  unreadable: number;
  /** The newest record about the bucket in any object read: how fresh the figures are. */
  newestRecordAt: Date | null;
  /** Uploads and failed requests inside the window, oldest first. */
  uploads: RequestLine[];
  errors: RequestLine[];
  /** Uploads and errors past the per-object cap, counted but not listed. */
  droppedUploads: number;
  droppedErrors: number;
}

export interface ReadWindowOptions {
  ports: AccessLogPorts;
  logging: LoggingFact;
  source: LogSource;
  start: Date;
  end: Date;
  logger: Logger;
}

/** One object's counts: from the cache, or parsed from its bytes and then cached. */
async function countsOf(ports: AccessLogPorts, cache: CountsCache, logBucket: string, object: LogObjectSummary, sourceBucket: string): Promise<{ counts: LogObjectCounts; cached: boolean }> {
  const id = { logBucket, key: object.key, etag: object.etag, sourceBucket };
  // Without an ETag the object's identity is unknown; parsing it again is the safe choice.
  const hit = object.etag ? await cache.get(id) : null;
  if (hit) return { counts: hit, cached: true };
  const counts = emptyCounts();
  const stats = await parseAccessLog(await ports.objects.read(logBucket, object.key), (record) => countRecord(counts, record, sourceBucket));
  counts.lines = stats.lines;
  counts.unreadable = stats.unreadable;
  if (object.etag) await cache.set(id, counts);
  return { counts, cached: false };
}

/** Reads the window `[start, end]` of the bucket's access log. Throws `UserFacingError` when the log bucket cannot be read. */
export async function readAccessLogWindow(options: ReadWindowOptions): Promise<AccessLogWindow> {
  const { ports, logging, source, start, end, logger } = options;
  const found = await findLogObjects(ports.objects, logging, source, start, end);
  const cache = new CountsCache(ports.countsCache, logger);
  const limit = pLimit(READ_CONCURRENCY);
  const results = await Promise.all(found.objects.map((object) => limit(() => countsOf(ports, cache, logging.targetBucket, object, source.bucket))));

  const from = start.getTime();
  const to = end.getTime();
  const inWindow = (line: RequestLine): boolean => line.t >= from && line.t <= to;
  const window: AccessLogWindow = {
    logBucket: logging.targetBucket,
    logPrefix: logging.targetPrefix,
    partitioned: logging.partitioned,
    start,
    end,
    objects: found.objects.length,
    parsed: results.filter((r) => !r.cached).length,
    fromCache: results.filter((r) => r.cached).length,
    listCalls: found.listCalls,
    lines: 0,
    unreadable: 0,
    newestRecordAt: null,
    uploads: [],
    errors: [],
    droppedUploads: 0,
    droppedErrors: 0,
  };
  let newest: number | null = null;
  for (const { counts } of results) {
    window.lines += counts.lines;
    window.unreadable += counts.unreadable;
    window.droppedUploads += counts.droppedUploads;
    window.droppedErrors += counts.droppedErrors;
    if (counts.lastAt !== null && (newest === null || counts.lastAt > newest)) newest = counts.lastAt;
    for (const line of counts.uploads) if (inWindow(line)) window.uploads.push(line);
    for (const line of counts.errors) if (inWindow(line)) window.errors.push(line);
  }
  window.newestRecordAt = newest === null ? null : new Date(newest);
  window.uploads.sort((a, b) => a.t - b.t);
  window.errors.sort((a, b) => a.t - b.t);
  return window;
}

/** Why a bucket's access log cannot be read, as a sentence; `null` when it can be tried. */
export function whyNoAccessLog(logging: LoggingFact | null, loggingProblem: string | undefined): string | null {
  if (loggingProblem) return `its logging configuration could not be read (${loggingProblem})`;
  if (!logging) return 'server access logging is off for this bucket';
  return null;
}

/** The person-facing reason a log read failed. */
export function accessLogFailure(error: unknown): string {
  return error instanceof UserFacingError ? error.userMessage : 'the log objects could not be read; the details are in the bot\'s log';
}
