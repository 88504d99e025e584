import { describe, expect, it } from 'vitest';
import { deliveryStamp, deliveryTimeOfKey } from '../../../src/access-logs/key-format.js';
import { readAccessLogWindow } from '../../../src/access-logs/read-window.js';
import type { LoggingFact } from '../../../src/aws/ports.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { MemoryLogBucket, memoryCache } from '../../fixtures/access-logs/memory-log-bucket.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;
const SOURCE = 'surgical-docs-bucket';
const ACCOUNT = '123456789012';

/** 30 days of log objects, one every 6 h, each holding one upload 30 min before its delivery. */
function seed(bucket: MemoryLogBucket, keyFor: (delivered: Date) => string): void {
  for (let h = 0; h < 30 * 24; h += 6) {
    const delivered = new Date(NOW.getTime() - h * HOUR - 5 * 60_000);
    const at = new Date(delivered.getTime() - 30 * 60_000);
    const lines = [
      logLine({ bucket: SOURCE, at, operation: 'REST.PUT.OBJECT', key: `cases/${h}.pdf`, status: 200, size: 1000 + h }),
      logLine({ bucket: 'someone-else', at, operation: 'REST.PUT.OBJECT', key: 'other.txt', status: 200 }),
    ];
    bucket.put(keyFor(delivered), `${lines.join('\n')}\n`, delivered);
  }
}

const simpleKey = (prefix: string) => (d: Date) => `${prefix}${deliveryStamp(d)}-ABCDEF0123456789`;
const dayFolder = (prefix: string, d: Date, region = 'us-east-1') =>
  `${prefix}${ACCOUNT}/${region}/${SOURCE}/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/`;
/** DeliveryTime layout: the delivery day's folder, the delivery time in the key. */
const partitionedKey = (prefix: string, region = 'us-east-1') => (d: Date) => `${dayFolder(prefix, d, region)}${deliveryStamp(d)}-ABCDEF0123456789`;
/** EventTime layout: the events' day's folder and that day at 00-00-00 in the key. */
const eventTimeKey = (prefix: string, eventDay: Date, unique: string) =>
  `${dayFolder(prefix, eventDay)}${deliveryStamp(new Date(Date.UTC(eventDay.getUTCFullYear(), eventDay.getUTCMonth(), eventDay.getUTCDate())))}-${unique}`;

async function read(bucket: MemoryLogBucket, logging: LoggingFact, cache = memoryCache(), region: string | null = 'us-east-1', windowMs = 24 * HOUR) {
  return readAccessLogWindow({
    ports: { objects: bucket, countsCache: cache },
    logging,
    source: { bucket: SOURCE, region },
    start: new Date(NOW.getTime() - windowMs),
    end: NOW,
    logger: silentLogger(),
  });
}

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * HOUR);

/**
 * EventTime-partitioned objects as S3 delivers them: each holds one day's events, sits in that
 * day's folder under a 00-00-00 stamp, and its LastModified is when it was delivered.
 */
function seedEventTime(bucket: MemoryLogBucket, prefix: string): void {
  const objects = [
    // Yesterday's events (NOW is 12:00 on 03-10): one delivered yesterday morning, before any window here…
    { name: 'y-morning', eventAt: hoursAgo(27), delivered: hoursAgo(26.5) },
    // …one delivered yesterday evening, inside the 24 h window…
    { name: 'y-evening', eventAt: hoursAgo(16), delivered: hoursAgo(15.5) },
    // …and one delivered late, today, for an event just before midnight.
    { name: 'y-late', eventAt: hoursAgo(12.2), delivered: hoursAgo(2) },
    // Today's events: delivered before the last hour, and inside it.
    { name: 't-early', eventAt: hoursAgo(3), delivered: hoursAgo(2.5) },
    { name: 't-recent', eventAt: hoursAgo(0.75), delivered: hoursAgo(0.25) },
  ];
  for (const [i, o] of objects.entries()) {
    const line = logLine({ bucket: SOURCE, at: o.eventAt, operation: 'REST.PUT.OBJECT', key: `cases/${o.name}.pdf`, status: 200, size: 100 });
    bucket.put(eventTimeKey(prefix, o.eventAt, `EV${String(i).padStart(14, '0')}`), `${line}\n`, o.delivered);
  }
  // Two days ago: outside both windows' days, so not even listed.
  bucket.put(eventTimeKey(prefix, hoursAgo(40), 'EVOLD0000000000'), `${logLine({ bucket: SOURCE, at: hoursAgo(40), operation: 'REST.PUT.OBJECT', key: 'cases/old.pdf', status: 200 })}\n`, hoursAgo(1));
}

describe('readAccessLogWindow', () => {
  it('reads only the simple-format objects delivered in the window, listing from its start', async () => {
    const bucket = new MemoryLogBucket('logs');
    seed(bucket, simpleKey('access/'));
    // Another source's logs under a longer prefix sort after the dated keys; they must not be listed through.
    bucket.put('access/zz-other/2026-03-10-11-00-00-X', 'x');
    const window = await read(bucket, { targetBucket: 'logs', targetPrefix: 'access/', partitioned: false });
    expect(bucket.reads).toHaveLength(4);
    for (const key of bucket.reads) expect(deliveryTimeOfKey(key)!.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 24 * HOUR);
    expect(bucket.listed).toEqual([{ prefix: 'access/', startAfter: `access/${deliveryStamp(new Date(NOW.getTime() - 24 * HOUR - 1000))}` }]);
    // Four objects, each with one of this bucket's uploads inside the window; the other bucket's are not counted.
    expect(window.uploads.map((u) => u.key)).toEqual(['cases/18.pdf', 'cases/12.pdf', 'cases/6.pdf', 'cases/0.pdf']);
    expect(window).toMatchObject({ objects: 4, parsed: 4, fromCache: 0, lines: 8, unreadable: 0 });
    expect(window.newestRecordAt).toEqual(new Date(NOW.getTime() - 35 * 60_000));
  });

  it('reads only the DeliveryTime-partitioned date folders of the window, from its start, finding the account in the bucket', async () => {
    const bucket = new MemoryLogBucket('logs');
    seed(bucket, partitionedKey('p/'));
    const window = await read(bucket, { targetBucket: 'logs', targetPrefix: 'p/', partitioned: true, partitionDateSource: 'DeliveryTime' });
    expect(bucket.reads).toHaveLength(4);
    const first = `p/${ACCOUNT}/us-east-1/${SOURCE}/2026/03/09/`;
    expect(bucket.listed).toEqual([
      { prefix: 'p/', delimiter: '/' },
      { prefix: first, startAfter: `${first}${deliveryStamp(new Date(NOW.getTime() - 24 * HOUR - 1000))}` },
      { prefix: `p/${ACCOUNT}/us-east-1/${SOURCE}/2026/03/10/` },
    ]);
    expect(window.uploads.map((u) => u.key)).toEqual(['cases/18.pdf', 'cases/12.pdf', 'cases/6.pdf', 'cases/0.pdf']);
  });

  it('EventTime keys, 1 h window: lists today\'s whole folder and reads only the object delivered in the window', async () => {
    const bucket = new MemoryLogBucket('logs');
    seedEventTime(bucket, 'p/');
    const window = await read(bucket, { targetBucket: 'logs', targetPrefix: 'p/', partitioned: true, partitionDateSource: 'EventTime' }, memoryCache(), 'us-east-1', HOUR);
    // Every key in the folder carries 00-00-00: a StartAfter at the window's start would skip them all.
    expect(bucket.listed).toEqual([
      { prefix: 'p/', delimiter: '/' },
      { prefix: `p/${ACCOUNT}/us-east-1/${SOURCE}/2026/03/10/` },
    ]);
    expect(bucket.reads).toEqual([eventTimeKey('p/', NOW, 'EV00000000000004')]);
    expect(window.uploads.map((u) => u.key)).toEqual(['cases/t-recent.pdf']);
    expect(window).toMatchObject({ objects: 1, parsed: 1 });
  });

  it('EventTime keys, 24 h window: lists yesterday\'s and today\'s folders and reads what was delivered since the start, late deliveries too', async () => {
    const bucket = new MemoryLogBucket('logs');
    seedEventTime(bucket, 'p/');
    // No date source set reads as EventTime, AWS's default.
    const window = await read(bucket, { targetBucket: 'logs', targetPrefix: 'p/', partitioned: true });
    expect(bucket.listed).toEqual([
      { prefix: 'p/', delimiter: '/' },
      { prefix: `p/${ACCOUNT}/us-east-1/${SOURCE}/2026/03/09/` },
      { prefix: `p/${ACCOUNT}/us-east-1/${SOURCE}/2026/03/10/` },
    ]);
    // Oldest delivery first; yesterday morning's object and the two-days-ago folder are not read.
    expect(bucket.reads.slice().sort()).toEqual(
      [eventTimeKey('p/', hoursAgo(16), 'EV00000000000001'), eventTimeKey('p/', hoursAgo(12.2), 'EV00000000000002'), eventTimeKey('p/', NOW, 'EV00000000000003'), eventTimeKey('p/', NOW, 'EV00000000000004')].sort(),
    );
    expect(window.uploads.map((u) => u.key)).toEqual(['cases/y-evening.pdf', 'cases/y-late.pdf', 'cases/t-early.pdf', 'cases/t-recent.pdf']);
    expect(window.objects).toBe(4);
  });

  it('DeliveryTime keys, 1 h window: starts after the window\'s start inside today\'s folder', async () => {
    const bucket = new MemoryLogBucket('logs');
    seed(bucket, partitionedKey('p/'));
    const window = await read(bucket, { targetBucket: 'logs', targetPrefix: 'p/', partitioned: true, partitionDateSource: 'DeliveryTime' }, memoryCache(), 'us-east-1', HOUR);
    const today = `p/${ACCOUNT}/us-east-1/${SOURCE}/2026/03/10/`;
    expect(bucket.listed).toEqual([
      { prefix: 'p/', delimiter: '/' },
      { prefix: today, startAfter: `${today}${deliveryStamp(new Date(NOW.getTime() - HOUR - 1000))}` },
    ]);
    expect(bucket.reads).toEqual([partitionedKey('p/')(new Date(NOW.getTime() - 5 * 60_000))]);
    expect(window.uploads.map((u) => u.key)).toEqual(['cases/0.pdf']);
  });

  it('discovers the region folder when the bucket region is not known', async () => {
    const bucket = new MemoryLogBucket('logs');
    seed(bucket, partitionedKey('', 'eu-west-1'));
    const window = await read(bucket, { targetBucket: 'logs', targetPrefix: '', partitioned: true, partitionDateSource: 'DeliveryTime' }, memoryCache(), null);
    expect(window.uploads).toHaveLength(4);
    expect(bucket.listed.slice(0, 2)).toEqual([
      { prefix: '', delimiter: '/' },
      { prefix: `${ACCOUNT}/`, delimiter: '/' },
    ]);
  });

  it('parses each log object once: a second read takes every object from the cache', async () => {
    const bucket = new MemoryLogBucket('logs');
    seed(bucket, simpleKey('access/'));
    const cache = memoryCache();
    const logging = { targetBucket: 'logs', targetPrefix: 'access/', partitioned: false };
    const first = await read(bucket, logging, cache);
    const second = await read(bucket, logging, cache);
    expect(bucket.reads).toHaveLength(4);
    expect(second).toMatchObject({ parsed: 0, fromCache: 4 });
    expect(second.uploads).toEqual(first.uploads);
  });

  it('still answers when the cache fails, by parsing', async () => {
    const bucket = new MemoryLogBucket('logs');
    seed(bucket, simpleKey(''));
    const broken = { get: async () => Promise.reject(new Error('redis down')), set: async () => Promise.reject(new Error('redis down')) };
    const window = await readAccessLogWindow({
      ports: { objects: bucket, countsCache: broken },
      logging: { targetBucket: 'logs', targetPrefix: '', partitioned: false },
      source: { bucket: SOURCE, region: 'us-east-1' },
      start: new Date(NOW.getTime() - 24 * HOUR),
      end: NOW,
      logger: silentLogger(),
    });
    expect(window.uploads).toHaveLength(4);
  });

  it('keeps failed uploads and failed parts, and every 4xx/5xx, with their codes', async () => {
    const bucket = new MemoryLogBucket('logs');
    const at = new Date(NOW.getTime() - HOUR);
    const lines = [
      logLine({ bucket: SOURCE, at, operation: 'REST.PUT.OBJECT', key: 'a.pdf', status: 403, error: 'AccessDenied', requester: 'arn:aws:iam::123456789012:user/mallory' }),
      logLine({ bucket: SOURCE, at, operation: 'REST.PUT.PART', key: 'b.mp4', status: 503, error: 'SlowDown' }),
      logLine({ bucket: SOURCE, at, operation: 'REST.PUT.PART', key: 'b.mp4', status: 200 }),
      logLine({ bucket: SOURCE, at, operation: 'REST.POST.UPLOAD', key: 'c.mp4', status: 200, size: 5_000_000 }),
      logLine({ bucket: SOURCE, at, operation: 'REST.GET.OBJECT', key: 'none', status: 404, error: 'NoSuchKey' }),
    ];
    bucket.put(simpleKey('')(NOW), lines.join('\n'));
    const window = await read(bucket, { targetBucket: 'logs', targetPrefix: '', partitioned: false });
    expect(window.uploads.map((u) => [u.op, u.status, u.error])).toEqual([
      ['REST.PUT.OBJECT', 403, 'AccessDenied'],
      ['REST.PUT.PART', 503, 'SlowDown'],
      ['REST.POST.UPLOAD', 200, null],
    ]);
    expect(window.errors.map((e) => e.status)).toEqual([403, 503, 404]);
  });
});
