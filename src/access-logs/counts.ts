/**
 * What one log object holds that the reports and rules need, small enough to cache: every
 * upload and every failed request (up to a cap), and totals. Log objects never change, so this
 * is computed once per object.
 */
import type { AccessLogRecord } from './record.js';

/** Uploads: single PUTs, browser POSTs, copies, and multipart completions. */
export const UPLOAD_OPERATIONS: ReadonlySet<string> = new Set(['REST.PUT.OBJECT', 'REST.POST.OBJECT', 'REST.COPY.OBJECT', 'REST.POST.UPLOAD']);
/** A failed part upload fails its multipart upload, so it is shown with the failed uploads. */
export const PART_OPERATIONS: ReadonlySet<string> = new Set(['REST.PUT.PART', 'REST.COPY.PART']);

/**
 * A bucket-level PUT or DELETE other than an upload changes the bucket's configuration
 * (`REST.PUT.BUCKETPOLICY`, `REST.DELETE.ENCRYPTION`, `REST.PUT.VERSIONING`, …).
 */
export function isConfigChange(record: Pick<AccessLogRecord, 'operation' | 'key'>): boolean {
  const op = record.operation ?? '';
  return /^REST\.(PUT|DELETE)\.[A-Z_]+$/.test(op) && (record.key === null || record.key === '' || record.key === '-') && !UPLOAD_OPERATIONS.has(op) && !PART_OPERATIONS.has(op);
}

/** Past this many, one object's uploads or errors are counted but not kept one by one. */
export const MAX_KEPT_PER_OBJECT = 2_000;

/** One request as the reports show it. Short field names: these are stored in Redis by the thousand. */
export interface RequestLine {
  /** Time, epoch milliseconds. */
  t: number;
  op: string;
  /** Key as logged (URL-encoded); `''` for bucket-level requests. */
  key: string;
  /** Object size in bytes, where logged. */
  size: number | null;
  requester: string | null;
  ip: string | null;
  status: number | null;
  error: string | null;
}

export interface LogObjectCounts {
  /** Non-empty lines in the object. */
  lines: number;
  unreadable: number;
  /** Records about the source bucket (a shared log prefix may hold other buckets' records). */
  requests: number;
  /** Epoch ms of the oldest and newest record about the source bucket. */
  firstAt: number | null;
  lastAt: number | null;
  uploads: RequestLine[];
  /** Every request answered 4xx or 5xx. */
  errors: RequestLine[];
  /** Bucket-configuration calls (`REST.PUT.BUCKETPOLICY`, …), answered or not. */
  configChanges?: RequestLine[];
  /** Uploads and errors counted but not kept (past `MAX_KEPT_PER_OBJECT`). */
  droppedUploads: number;
  droppedErrors: number;
}

/** An empty tally for one log object. */
export function emptyCounts(): LogObjectCounts {
  return { lines: 0, unreadable: 0, requests: 0, firstAt: null, lastAt: null, uploads: [], errors: [], configChanges: [], droppedUploads: 0, droppedErrors: 0 };
}

/**
 * A copy of `value` that shares no memory with the text it was parsed from. Parsed fields are
 * slices of the chunk of the log object they were read from, and V8 keeps that whole chunk alive
 * as long as one slice of it lives: a kept line would hold its object's text in memory.
 */
function detached(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

function detachedOrNull(value: string | null): string | null {
  return value === null ? null : detached(value);
}

function lineOf(record: AccessLogRecord): RequestLine {
  return {
    t: record.time.getTime(),
    op: detached(record.operation ?? ''),
    key: detached(record.key ?? ''),
    size: record.objectSize,
    requester: detachedOrNull(record.requester),
    ip: detachedOrNull(record.remoteIp),
    status: record.httpStatus,
    error: detachedOrNull(record.errorCode),
  };
}

/** Whether a record is an upload (or a failed part of one). */
export function isUpload(record: Pick<AccessLogRecord, 'operation' | 'httpStatus'>): boolean {
  const op = record.operation ?? '';
  return UPLOAD_OPERATIONS.has(op) || (PART_OPERATIONS.has(op) && (record.httpStatus ?? 0) >= 400);
}

/** Adds one record to the tally when it is about `sourceBucket`. */
export function countRecord(counts: LogObjectCounts, record: AccessLogRecord, sourceBucket: string): void {
  if (record.bucket !== null && record.bucket !== sourceBucket) return;
  counts.requests += 1;
  const t = record.time.getTime();
  if (counts.firstAt === null || t < counts.firstAt) counts.firstAt = t;
  if (counts.lastAt === null || t > counts.lastAt) counts.lastAt = t;
  if (isUpload(record)) {
    if (counts.uploads.length < MAX_KEPT_PER_OBJECT) counts.uploads.push(lineOf(record));
    else counts.droppedUploads += 1;
  }
  if ((record.httpStatus ?? 0) >= 400) {
    if (counts.errors.length < MAX_KEPT_PER_OBJECT) counts.errors.push(lineOf(record));
    else counts.droppedErrors += 1;
  }
  if (isConfigChange(record) && (counts.configChanges ??= []).length < MAX_KEPT_PER_OBJECT) counts.configChanges.push(lineOf(record));
}
