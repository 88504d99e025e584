/**
 * Finds the log objects that can hold a window's records, listing only from the window's start
 * (or, for EventTime partitioned keys, only the window's day folders): the cost follows the
 * window, not the size of the log bucket.
 */
import type { LoggingFact, LogObjectsPort, LogObjectSummary } from '../aws/ports.js';
import { daysBetween, deliveryTimeOfKey, isEventTimeLayout, partitionedDayPrefix, simpleStartAfter } from './key-format.js';

export interface LogSource {
  /** The bucket whose requests are logged. */
  bucket: string;
  /** Its region, where known; otherwise the partitioned folders are discovered. */
  region: string | null;
}

export interface FoundLogObjects {
  /** Oldest delivery first. */
  objects: LogObjectSummary[];
  /** Listing pages read (each one ListObjectsV2 call). */
  listCalls: number;
}

const ACCOUNT_FOLDER = /^\d{12}\/$/;

/** Lists into `found`; stops at the first key at or past `until`, so other prefixes' keys are not read. */
async function collect(
  port: LogObjectsPort,
  bucket: string,
  options: Parameters<LogObjectsPort['list']>[1],
  found: FoundLogObjects,
  until?: string,
): Promise<string[]> {
  const folders: string[] = [];
  for await (const page of port.list(bucket, options)) {
    found.listCalls += 1;
    folders.push(...page.commonPrefixes);
    for (const object of page.objects) {
      if (until !== undefined && object.key >= until) return folders;
      found.objects.push(object);
    }
  }
  return folders;
}

/** The folders directly under `prefix` (one delimiter listing). */
async function foldersUnder(port: LogObjectsPort, bucket: string, prefix: string, found: FoundLogObjects): Promise<string[]> {
  const sink: FoundLogObjects = { objects: [], listCalls: 0 };
  const folders = await collect(port, bucket, { prefix, delimiter: '/' }, sink);
  found.listCalls += sink.listCalls;
  return folders.map((f) => f.slice(prefix.length));
}

/**
 * The log objects delivered from `start` on. Records arrive late, never early, so an object
 * delivered before `start` holds no record of the window.
 */
export async function findLogObjects(port: LogObjectsPort, logging: LoggingFact, source: LogSource, start: Date, now: Date): Promise<FoundLogObjects> {
  const found: FoundLogObjects = { objects: [], listCalls: 0 };
  const prefix = logging.targetPrefix;
  const eventTime = isEventTimeLayout(logging);
  const days = daysBetween(start, now);
  if (!logging.partitioned) {
    // Simple keys continue the prefix with a year's digits; `:` sorts just after `9`.
    await collect(port, logging.targetBucket, { prefix, startAfter: simpleStartAfter(prefix, start) }, found, `${prefix}:`);
  } else {
    // The account id is not in the bucket's facts; the log bucket's own folders name it.
    const accounts = (await foldersUnder(port, logging.targetBucket, prefix, found)).filter((f) => ACCOUNT_FOLDER.test(f)).map((f) => f.slice(0, -1));
    for (const account of accounts) {
      const regions = source.region ? [source.region] : (await foldersUnder(port, logging.targetBucket, `${prefix}${account}/`, found)).map((f) => f.replace(/\/$/, ''));
      for (const region of regions) {
        for (const [index, day] of days.entries()) {
          const dayPrefix = partitionedDayPrefix(prefix, { account, region, bucket: source.bucket }, day);
          // By EventTime every key of a day folder carries the same `00-00-00` stamp, so there is
          // nothing to start after: the whole folder of each day the window touches is listed.
          const startAfter = index === 0 && !eventTime ? { startAfter: simpleStartAfter(dayPrefix, start) } : {};
          await collect(port, logging.targetBucket, { prefix: dayPrefix, ...startAfter }, found);
        }
      }
    }
  }
  const from = start.getTime() - 1000;
  const firstDay = days[0]!.getTime();
  // A key the formats do not describe (a stray upload into the log bucket) is not a log object.
  found.objects = found.objects.filter((o) => {
    const stamped = deliveryTimeOfKey(o.key);
    if (stamped === null) return false;
    // By EventTime the key names only the events' day; the delivery time is the object's
    // LastModified, and an object delivered before the window holds only earlier events.
    if (eventTime) return stamped.getTime() >= firstDay && stamped.getTime() <= now.getTime() && o.lastModified.getTime() >= from;
    return stamped.getTime() >= from;
  });
  found.objects.sort((a, b) => deliveredAt(a, logging) - deliveredAt(b, logging));
  return found;
}

/** When a log object was delivered, epoch ms: its key's stamp, or by EventTime its LastModified. */
export function deliveredAt(object: LogObjectSummary, logging: LoggingFact): number {
  return isEventTimeLayout(logging) ? object.lastModified.getTime() : (deliveryTimeOfKey(object.key)?.getTime() ?? 0);
}
