/** `/s3 uploads`: the newest objects, newest first, from a bounded listing that says how much it read. */
import type { AwsPorts, ObjectSummary } from '../aws/ports.js';
import type { BucketConfig } from '../config/schema.js';
import type { Block, Report } from '../render/model.js';
import { formatBytes, formatCount, formatTimestamp, plural } from '../render/format.js';
import { code } from '../render/markup.js';
import type { BucketRef } from './types.js';
import { windowName } from './window.js';

export interface UploadsOptions {
  prefix?: string;
  limit: number;
  /** Only objects modified within this many milliseconds before `now`. */
  sinceMs?: number;
  /** The most keys to read (`config.uploads.scanBudget`). */
  scanBudget: number;
}

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
}

/** Lists the bucket, keeping only the newest `limit` objects and stopping at the scan budget. */
export async function gatherUploads(ports: AwsPorts, bucket: BucketConfig, now: Date, options: UploadsOptions): Promise<UploadsData> {
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
    ? `${label}: ${plural(data.objects.length, 'recent upload')}, newest ${newest.key} at ${formatTimestamp(newest.lastModified)}`
    : `${label}: no objects${scopeText}`;
  return { message: { summary, blocks }, data };
}
