/**
 * The key formats S3 writes log objects under:
 *   simple:      `prefixYYYY-mm-DD-HH-MM-SS-UniqueString`, the delivery time
 *   partitioned: `prefix{account}/{region}/{bucket}/YYYY/mm/dd/YYYY-mm-DD-HH-MM-SS-UniqueString`,
 *     by DeliveryTime: the delivery day's folder and the delivery time;
 *     by EventTime:    the events' day's folder and that day at `00-00-00` (one day per object).
 * Where the key carries the delivery time, a window's objects are listed from its start; by
 * EventTime only the window's day folders are listed.
 */
import type { LoggingFact } from '../aws/ports.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-mm-DD-HH-MM-SS` in UTC, as log object keys write their delivery time. */
export function deliveryStamp(time: Date): string {
  return `${time.getUTCFullYear()}-${pad(time.getUTCMonth() + 1)}-${pad(time.getUTCDate())}-${pad(time.getUTCHours())}-${pad(time.getUTCMinutes())}-${pad(time.getUTCSeconds())}`;
}

/** The simple-format key to list after: every object delivered at or after `start` sorts after it. */
export function simpleStartAfter(prefix: string, start: Date): string {
  // One second back, so an object delivered in `start`'s own second is not skipped.
  return `${prefix}${deliveryStamp(new Date(start.getTime() - 1000))}`;
}

/** The partitioned-format folder of one UTC day: `prefix{account}/{region}/{bucket}/YYYY/mm/dd/`. */
export function partitionedDayPrefix(prefix: string, source: { account: string; region: string; bucket: string }, day: Date): string {
  return `${prefix}${source.account}/${source.region}/${source.bucket}/${day.getUTCFullYear()}/${pad(day.getUTCMonth() + 1)}/${pad(day.getUTCDate())}/`;
}

/** Midnight UTC of every day from `start`'s to `end`'s, oldest first. */
export function daysBetween(start: Date, end: Date): Date[] {
  const days: Date[] = [];
  const first = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  for (let t = first; t <= end.getTime(); t += 86_400_000) days.push(new Date(t));
  return days;
}

const STAMP = /(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-[^/]*$/;

/** Keys in the EventTime layout: the stamp is the events' day, not the delivery time (unset means EventTime, as in AWS). */
export function isEventTimeLayout(logging: LoggingFact): boolean {
  return logging.partitioned && logging.partitionDateSource !== 'DeliveryTime';
}

/** The time a log object's key carries (the delivery time, or the events' day by EventTime); `null` for a key in neither format. */
export function deliveryTimeOfKey(key: string): Date | null {
  const m = STAMP.exec(key);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? null : new Date(ms);
}
