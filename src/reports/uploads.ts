/**
 * `/s3 uploads`: who uploaded what, and which uploads failed, from the bucket's server access
 * log where it can be read; else the newest objects from a bounded listing that says how much it read.
 */
import { readBucketAccessLog } from './access-log-read.js';
import type { AccessLogReadBudget } from '../access-logs/read-window.js';
import { accessLogSourceLine, accessLogUploadsBlocks } from './access-log-blocks.js';
import { type AccessLogUploads, summarizeUploads } from '../access-logs/summaries.js';
import { startDeadline } from '../aws/deadlines.js';
import type { AwsPorts, ObjectSummary } from '../aws/ports.js';
import { type Logger, silentLogger } from '../lib/logger.js';
import type { BucketConfig } from '../config/schema.js';
import type { Block, Report } from '../message/model.js';
import { formatBytes, formatCount, formatTimestamp, plural } from '../message/format.js';
import { code } from '../message/markup.js';
import type { BucketRef } from './types.js';
import { unansweredBlocks } from './unanswered.js';
import { windowName } from './window.js';

export interface UploadsOptions {
  prefix?: string;
  limit: number;
  /** Only objects modified within this many milliseconds before `now`. */
  sinceMs?: number;
  /** The most keys to read (`config.uploads.scanBudget`). */
  scanBudget: number;
  /** The most of the access log one window reads (`uploads.logObjectBudget`, `uploads.logByteBudget`). */
  logBudget?: AccessLogReadBudget;
  /** Where a log that could not be read is reported. */
  logger?: Logger;
}

/** The access log is read over this window when `--since` is not given. */
export const ACCESS_LOG_DEFAULT_WINDOW_MS = 24 * 3_600_000;

export interface UploadsData {
  bucket: BucketRef;
  generatedAt: Date;
  prefix: string | null;
  limit: number;
  since: Date | null;
  sinceMs: number | null;
  scanBudget: number;
  objects: ObjectSummary[];
  scanned: number;
  truncated: boolean;
  /** Set when the uploads come from the server access log (then `objects` is empty). */
  accessLog?: AccessLogUploads;
  /** Set when access logs were tried and the listing was used instead: why (unless S3 did not answer in time: that is in `unanswered`). */
  listingBecause?: string;
  /** One sentence per source that did not answer in time: the listing was used instead. */
  unanswered?: string[];
}

/** How long the bucket's logging configuration is waited for before the listing answers instead: well within the command's 8 s, leaving the listing the rest. */
export const UPLOADS_FACTS_WAIT_MS = 3_000;

/** Lists the bucket, keeping only the newest `limit` objects and stopping at the scan budget. */
export async function gatherUploads(ports: AwsPorts, bucket: BucketConfig, now: Date, options: UploadsOptions): Promise<UploadsData> {
  let listingBecause: string | undefined;
  let unanswered: string[] | undefined;
  if (ports.accessLogs) {
    const sinceMs = options.sinceMs ?? ACCESS_LOG_DEFAULT_WINDOW_MS;
    // The logging configuration gets a share of the command's time, not all of it: if S3 does not
    // answer it, the listing still has time to answer.
    const factsDeadline = startDeadline(UPLOADS_FACTS_WAIT_MS);
    const facts = await ports.facts.getFacts(bucket.name, { signal: factsDeadline.signal }).finally(() => factsDeadline.stop());
    const log = await readBucketAccessLog(ports, facts, { start: new Date(now.getTime() - sinceMs), end: now }, options.logger ?? silentLogger(), options.logBudget ? { budget: options.logBudget } : {});
    if (!log.ok && factsDeadline.signal.aborted) unanswered = [`The access log is left out: ${log.reason}`];
    if (log.ok) {
      return {
        bucket: { name: bucket.name, alias: bucket.alias },
        generatedAt: now,
        prefix: options.prefix ?? null,
        limit: options.limit,
        since: log.window.start,
        sinceMs,
        scanBudget: options.scanBudget,
        objects: [],
        scanned: 0,
        truncated: false,
        accessLog: summarizeUploads(log.window, { limit: options.limit, ...(options.prefix ? { prefix: options.prefix } : {}) }),
      };
    }
    listingBecause = log.reason;
  }
  const since = options.sinceMs !== undefined ? new Date(now.getTime() - options.sinceMs) : undefined;
  const result = await ports.listing.listNewest(bucket.name, {
    limit: options.limit,
    scanBudget: options.scanBudget,
    ...(options.prefix ? { prefix: options.prefix } : {}),
    ...(since ? { since } : {}),
  });
  return {
    bucket: { name: bucket.name, alias: bucket.alias },
    generatedAt: now,
    prefix: options.prefix ?? null,
    limit: options.limit,
    since: since ?? null,
    sinceMs: options.sinceMs ?? null,
    scanBudget: options.scanBudget,
    // Sorted again so the report holds its promise whatever the adapter returns.
    objects: [...result.objects].sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime()).slice(0, options.limit),
    scanned: result.scanned,
    truncated: result.truncated,
    ...(listingBecause && !unanswered ? { listingBecause } : {}),
    ...(unanswered ? { unanswered } : {}),
  };
}

/** Builds the uploads message: a table of key, size, time and storage class. */
export function buildUploads(data: UploadsData): Report<UploadsData> {
  const label = data.bucket.alias ?? data.bucket.name;
  const scope = [
    data.prefix ? `under ${code(data.prefix)}` : '',
    data.sinceMs !== null ? `in the last ${windowName(data.sinceMs)}` : '',
  ].filter(Boolean);
  const scopeText = scope.length ? ` ${scope.join(' ')}` : '';
  const blocks: Block[] = [{ kind: 'header', text: `Recent uploads: ${label}` }];
  if (data.accessLog) return buildAccessLogUploads(data, data.accessLog, label, scopeText, blocks);
  if (data.listingBecause) blocks.push({ kind: 'context', text: `From a listing of the bucket, not its access log: ${data.listingBecause}.` });
  if (data.unanswered) blocks.push({ kind: 'context', text: 'From a listing of the bucket, not its access log.' }, ...unansweredBlocks(data.unanswered));
  if (data.objects.length === 0) {
    blocks.push({ kind: 'text', text: `No objects${scopeText} among the ${plural(data.scanned, 'key')} scanned.` });
  } else {
    blocks.push({
      kind: 'table',
      columns: ['Last modified (UTC)', 'Size', 'Class', 'Key'],
      rows: data.objects.map((o) => [formatTimestamp(o.lastModified).replace(' UTC', ''), formatBytes(o.size), o.storageClass, o.key]),
    });
  }
  const scanned = `Newest ${formatCount(data.objects.length)}${scopeText}, from ${plural(data.scanned, 'key')} scanned`;
  blocks.push({ kind: 'context', text: `${scanned} · ${formatTimestamp(data.generatedAt)}` });
  if (data.truncated) {
    blocks.push({
      kind: 'list',
      items: [
        {
          severity: 'warning',
          text: `Stopped at the scan budget of ${plural(data.scanBudget, 'key')}; newer objects may be among the keys not read.`,
          detail: 'Narrow the listing with `--prefix`, or raise `uploads.scanBudget` in the configuration.',
        },
      ],
    });
  }
  const newest = data.objects[0];
  const summary = newest
    ? `${label}: ${plural(data.objects.length, 'recent upload')}, newest ${code(newest.key)} at ${formatTimestamp(newest.lastModified)}`
    : `${label}: no objects${scopeText}`;
  return { message: { summary, blocks }, data };
}

/** The uploads message from the access log: each upload with who made it, failures marked. */
function buildAccessLogUploads(data: UploadsData, uploads: AccessLogUploads, label: string, scopeText: string, blocks: Block[]): Report<UploadsData> {
  blocks.push(...accessLogUploadsBlocks(uploads, scopeText));
  blocks.push({ kind: 'context', text: `${accessLogSourceLine(uploads.source, data.generatedAt)} · ${formatTimestamp(data.generatedAt)}` });
  const newest = uploads.shown[0];
  const failed = uploads.failed > 0 ? ` (${formatCount(uploads.failed)} failed)` : '';
  const summary = newest
    ? `${label}: ${plural(uploads.total, 'upload')}${scopeText}${failed}, newest ${code(newest.key)} by ${code(newest.requester)} at ${formatTimestamp(newest.time)}`
    : `${label}: no uploads${scopeText} in the access log`;
  return { message: { summary, blocks }, data };
}
