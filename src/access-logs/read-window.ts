/**
 * A window of a bucket's server access log: find the objects delivered since the window's
 * start, take each one's counts from the cache or parse it once, and keep the window's lines.
 * A window reads at most its budget of objects and bytes, newest first: a long window over a busy
 * log answers for its most recent part and says where it stopped, instead of reading thousands
 * of objects (one GET each) and holding their lines at once.
 */
import pLimit from 'p-limit';
import type { AccessLogPorts, LoggingFact, LogObjectSummary } from '../aws/ports.js';
import { UserFacingError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { countRecord, emptyCounts, type LogObjectCounts, type RequestLine } from './counts.js';
import { CountsCache } from './counts-cache.js';
import { deliveredAt, findLogObjects, type LogSource } from './find-log-objects.js';
import { parseAccessLog } from './parse-stream.js';

/** Log objects one window reads at once when the ports share no slots: enough to hide latency, few enough to stay polite to S3 and memory. */
const READ_CONCURRENCY = 4;

/** How much of a log one window may read. */
export interface AccessLogReadBudget {
  /** Log objects, cached or not. */
  objects: number;
  /** Their bytes, as listed. */
  bytes: number;
}

/** 500 objects or 64 MiB, whichever comes first (`uploads.logObjectBudget`, `uploads.logByteBudget`). */
export const DEFAULT_READ_BUDGET: AccessLogReadBudget = { objects: 500, bytes: 64 * 1024 * 1024 };

/** The budget the `uploads` settings give, the default for any not set. */
export function logReadBudget(uploads: { logObjectBudget?: number; logByteBudget?: number }): AccessLogReadBudget {
  return { objects: uploads.logObjectBudget ?? DEFAULT_READ_BUDGET.objects, bytes: uploads.logByteBudget ?? DEFAULT_READ_BUDGET.bytes };
}

/** Where a window stopped because its budget ran out. */
export interface BudgetStop {
  budget: AccessLogReadBudget;
  /** Which limit stopped it. */
  limit: 'objects' | 'bytes';
  /** The objects read, newest first, and their bytes. */
  objectsRead: number;
  bytesRead: number;
  /** Older objects in the window left unread. */
  objectsNotRead: number;
  /** When the oldest object read was delivered: records older than about this were not read; null when none was. */
  readBackTo: Date | null;
}

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
  /** Bucket-configuration calls inside the window, oldest first. */
  configChanges?: RequestLine[];
  /** Uploads and errors past the per-object cap, counted but not listed. */
  droppedUploads: number;
  droppedErrors: number;
  /** Set when the budget stopped the read before the window's oldest objects. */
  stopped: BudgetStop | null;
}

export interface ReadWindowOptions {
  ports: AccessLogPorts;
  logging: LoggingFact;
  source: LogSource;
  start: Date;
  end: Date;
  logger: Logger;
  /** The most this window reads; `DEFAULT_READ_BUDGET` when absent. */
  budget?: AccessLogReadBudget;
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

/** Reads the window `[start, end]` of the bucket's access log, newest objects first, within its budget. Throws `UserFacingError` when the log bucket cannot be read. */
export async function readAccessLogWindow(options: ReadWindowOptions): Promise<AccessLogWindow> {
  const { ports, logging, source, start, end, logger } = options;
  const budget = options.budget ?? DEFAULT_READ_BUDGET;
  const found = await findLogObjects(ports.objects, logging, source, start, end);
  const { chosen, stopped } = withinBudget(found.objects, budget, logging);
  const cache = new CountsCache(ports.countsCache, logger);
  // The process's shared slots when the ports have them: windows asked together share the reads.
  const limit: <T>(read: () => Promise<T>) => Promise<T> = ports.readSlots ?? pLimit(READ_CONCURRENCY);

  const from = start.getTime();
  const to = end.getTime();
  const inWindow = (line: RequestLine): boolean => line.t >= from && line.t <= to;
  const window: AccessLogWindow = {
    logBucket: logging.targetBucket,
    logPrefix: logging.targetPrefix,
    partitioned: logging.partitioned,
    start,
    end,
    objects: chosen.length,
    parsed: 0,
    fromCache: 0,
    listCalls: found.listCalls,
    lines: 0,
    unreadable: 0,
    newestRecordAt: null,
    uploads: [],
    errors: [],
    configChanges: [],
    droppedUploads: 0,
    droppedErrors: 0,
    stopped,
  };
  let newest: number | null = null;
  // Each object's counts are folded in as soon as it is read and then dropped: only the window's
  // own lines stay, never every object's tally at once.
  const fold = ({ counts, cached }: { counts: LogObjectCounts; cached: boolean }): void => {
    if (cached) window.fromCache += 1;
    else window.parsed += 1;
    window.lines += counts.lines;
    window.unreadable += counts.unreadable;
    window.droppedUploads += counts.droppedUploads;
    window.droppedErrors += counts.droppedErrors;
    if (counts.lastAt !== null && (newest === null || counts.lastAt > newest)) newest = counts.lastAt;
    for (const line of counts.uploads) if (inWindow(line)) window.uploads.push(line);
    for (const line of counts.errors) if (inWindow(line)) window.errors.push(line);
    for (const line of counts.configChanges ?? []) if (inWindow(line)) window.configChanges!.push(line);
  };
  await Promise.all(chosen.map((object) => limit(async () => fold(await countsOf(ports, cache, logging.targetBucket, object, source.bucket)))));
  window.newestRecordAt = newest === null ? null : new Date(newest);
  window.uploads.sort((a, b) => a.t - b.t);
  window.errors.sort((a, b) => a.t - b.t);
  window.configChanges!.sort((a, b) => a.t - b.t);
  return window;
}

/** The newest objects (given oldest first) that fit the budget, newest first, and where it stopped. */
export function withinBudget(objects: readonly LogObjectSummary[], budget: AccessLogReadBudget, logging: LoggingFact): { chosen: LogObjectSummary[]; stopped: BudgetStop | null } {
  const chosen: LogObjectSummary[] = [];
  let bytes = 0;
  let limit: BudgetStop['limit'] | null = null;
  for (let i = objects.length - 1; i >= 0; i -= 1) {
    const object = objects[i]!;
    if (chosen.length >= budget.objects) limit = 'objects';
    else if (bytes + object.size > budget.bytes) limit = 'bytes';
    if (limit) break;
    chosen.push(object);
    bytes += object.size;
  }
  if (!limit) return { chosen, stopped: null };
  const oldest = chosen.at(-1);
  return {
    chosen,
    stopped: {
      budget,
      limit,
      objectsRead: chosen.length,
      bytesRead: bytes,
      objectsNotRead: objects.length - chosen.length,
      readBackTo: oldest ? new Date(deliveredAt(oldest, logging)) : null,
    },
  };
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
