/** What the uploads and errors reports show from an access-log window: pure shaping of its lines. */
import type { RequestLine } from './counts.js';
import type { AccessLogWindow, BudgetStop } from './read-window.js';
import { decodeLoggedKey, readableRequester } from './requester.js';

/** Where the figures come from and how fresh they are. */
export interface AccessLogSourceInfo {
  logBucket: string;
  logPrefix: string;
  partitioned: boolean;
  objects: number;
  parsed: number;
  fromCache: number;
  unreadableLines: number;
  newestRecordAt: Date | null;
  /** Set when the read budget stopped before the window's oldest log objects. */
  stopped: BudgetStop | null;
}

export interface UploadLine {
  time: Date;
  operation: string;
  key: string;
  size: number | null;
  requester: string;
  ip: string | null;
  status: number | null;
  /** The error code of a failed upload; `null` when it succeeded. */
  error: string | null;
  failed: boolean;
}

export interface AccessLogUploads {
  source: AccessLogSourceInfo;
  total: number;
  failed: number;
  /** Failed uploads by error code, most first. */
  failuresByCode: Count[];
  /** Uploads past the per-object cap, counted but not listed. */
  notListed: number;
  byRequester: { requester: string; uploads: number; failed: number }[];
  /** Newest first, at most the asked limit. */
  shown: UploadLine[];
}

export interface Count {
  label: string;
  count: number;
}

export interface AccessLogErrors {
  source: AccessLogSourceInfo;
  clientErrors: number;
  serverErrors: number;
  /** 4xx by status and error code, most first: `403 AccessDenied`, `404 NoSuchKey`. */
  clientByCode: Count[];
  topRequesters: Count[];
  topIps: Count[];
  notListed: number;
}

/** The source facts of a window. */
export function sourceInfo(w: AccessLogWindow): AccessLogSourceInfo {
  return {
    logBucket: w.logBucket,
    logPrefix: w.logPrefix,
    partitioned: w.partitioned,
    objects: w.objects,
    parsed: w.parsed,
    fromCache: w.fromCache,
    unreadableLines: w.unreadable,
    newestRecordAt: w.newestRecordAt,
    stopped: w.stopped,
  };
}

const isFailed = (line: RequestLine): boolean => (line.status ?? 0) >= 400;

function uploadLine(line: RequestLine): UploadLine {
  return {
    time: new Date(line.t),
    operation: line.op,
    key: decodeLoggedKey(line.key),
    size: line.size,
    requester: readableRequester(line.requester),
    ip: line.ip,
    status: line.status,
    error: isFailed(line) ? (line.error ?? `HTTP ${line.status}`) : null,
    failed: isFailed(line),
  };
}

/** Counts values and keeps the `top` most frequent, ties by label. */
export function topCounts(values: Iterable<string>, top: number): Count[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)).slice(0, top);
}

/** The uploads of a window under `prefix`, newest first, with who made them. */
export function summarizeUploads(w: AccessLogWindow, options: { prefix?: string; limit: number }): AccessLogUploads {
  const lines = w.uploads.map(uploadLine).filter((u) => !options.prefix || u.key.startsWith(options.prefix));
  const byRequester = new Map<string, { requester: string; uploads: number; failed: number }>();
  for (const u of lines) {
    const entry = byRequester.get(u.requester) ?? { requester: u.requester, uploads: 0, failed: 0 };
    entry.uploads += 1;
    if (u.failed) entry.failed += 1;
    byRequester.set(u.requester, entry);
  }
  return {
    source: sourceInfo(w),
    total: lines.length,
    failed: lines.filter((u) => u.failed).length,
    failuresByCode: topCounts(lines.filter((u) => u.failed).map((u) => u.error ?? 'error'), 10),
    notListed: w.droppedUploads,
    byRequester: [...byRequester.values()].sort((a, b) => b.uploads - a.uploads || a.requester.localeCompare(b.requester)),
    shown: [...lines].sort((a, b) => b.time.getTime() - a.time.getTime()).slice(0, options.limit),
  };
}

/** The 4xx split by status and code, and the top requesters and IPs behind them. */
export function summarizeErrors(w: AccessLogWindow, top = 5): AccessLogErrors {
  const client = w.errors.filter((e) => (e.status ?? 0) < 500);
  return {
    source: sourceInfo(w),
    clientErrors: client.length,
    serverErrors: w.errors.length - client.length,
    clientByCode: topCounts(client.map((e) => `${e.status ?? '?'} ${e.error ?? '-'}`), 20),
    topRequesters: topCounts(client.map((e) => readableRequester(e.requester)), top),
    topIps: topCounts(client.map((e) => e.ip ?? 'unknown'), top),
    notListed: w.droppedErrors,
  };
}
