// Writes server access log objects into a moto log bucket as S3 would deliver them: keys in the
// layout the source bucket's logging configuration names, LastModified at the delivery time.
import type { S3Client } from '@aws-sdk/client-s3';
import { deliveryStamp } from '../../../src/access-logs/key-format.js';
import { parseAccessLogLine } from '../../../src/access-logs/parse-line.js';
import { putSeededObjects } from '../../../src/playground/emulator-seed.js';

export const TEST_ACCOUNT = '123456789012';

/** How a source bucket's logging configuration lays out its log keys (as `createBucket`'s `logging` seeds it). */
export interface LogKeyFormat {
  prefix: string;
  partitioned: boolean;
  /** Partitioned only; unset is EventTime, as in AWS and `createBucket`. */
  partitionDateSource?: 'EventTime' | 'DeliveryTime';
  sourceBucket: string;
  region?: string;
}

/** A log object to put; with `delivered`, moto stamps its LastModified then rather than now. */
export interface SeededLogObject {
  key: string;
  body: string;
  delivered?: Date;
}

const utcDay = (t: Date): Date => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));

/**
 * The key S3 would give a log object delivered at `delivered`: the delivery time for simple and
 * DeliveryTime keys; by EventTime, the folder of `eventAt`'s day and that day at 00-00-00.
 * The unique part defaults to one derived from `delivered`, so two objects never share a key.
 */
export function logObjectKey(format: LogKeyFormat, delivered: Date, unique?: string, eventAt: Date = delivered): string {
  const uniqueString = unique ?? delivered.getTime().toString(16).toUpperCase().padStart(16, '0');
  if (!format.partitioned) return `${format.prefix}${deliveryStamp(delivered)}-${uniqueString}`;
  const eventTime = format.partitionDateSource !== 'DeliveryTime';
  const dated = eventTime ? utcDay(eventAt) : delivered;
  const folder = dated.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${format.prefix}${TEST_ACCOUNT}/${format.region ?? 'us-east-1'}/${format.sourceBucket}/${folder}/${deliveryStamp(dated)}-${uniqueString}`;
}

/**
 * The log objects one delivery at `delivered` makes of `lines`: one object, or by EventTime one
 * per day the records fall on (S3 never mixes days in an EventTime object).
 */
export function logObjects(format: LogKeyFormat, delivered: Date, lines: string[], unique?: string): SeededLogObject[] {
  const byDay = new Map<number, string[]>();
  const eventTime = format.partitioned && format.partitionDateSource !== 'DeliveryTime';
  for (const line of lines) {
    const at = parseAccessLogLine(line)?.time;
    if (!at) throw new Error(`not a log record: ${line.slice(0, 80)}`);
    const day = eventTime ? utcDay(at).getTime() : 0;
    byDay.set(day, [...(byDay.get(day) ?? []), line]);
  }
  return [...byDay.entries()].map(([day, dayLines], i) => ({
    key: logObjectKey(format, delivered, unique === undefined ? undefined : `${unique}${i}`, eventTime ? new Date(day) : delivered),
    body: `${dayLines.join('\n')}\n`,
    delivered,
  }));
}

/** Puts log objects concurrently, each stamped with its delivery time through the moto launcher's clock header. */
export async function putLogObjects(s3: S3Client, logBucket: string, objects: SeededLogObject[], concurrency = 16): Promise<void> {
  await putSeededObjects(s3, logBucket, objects.map((o) => ({ key: o.key, body: o.body, ...(o.delivered ? { at: o.delivered } : {}) })), concurrency);
}
