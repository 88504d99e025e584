/**
 * The digest's uploads from server access logs: who uploaded and which uploads failed in 24 h,
 * by requester, and who was denied, per bucket; the bounded listing where the log cannot be read.
 */
import { describe, expect, it } from 'vitest';
import { deliveryStamp } from '../../../src/access-logs/key-format.js';
import { renderSlack } from '../../../src/render/slack/index.js';
import { renderText } from '../../../src/render/text/index.js';
import { buildDigest } from '../../../src/reports/digest/build.js';
import { gatherDigest } from '../../../src/reports/digest/gather.js';
import { renderThreadText } from '../../../src/render/text/thread.js';
import { logLine } from '../../fixtures/access-logs/log-lines.js';
import { MemoryLogBucket, memoryCache } from '../../fixtures/access-logs/memory-log-bucket.js';
import { digestConfig, fleetPorts, NOW } from './digest-fixtures.js';

const HOUR = 3_600_000;
const APP = 'arn:aws:sts::123456789012:assumed-role/App/i-0ab';
const ALICE = 'arn:aws:iam::123456789012:user/alice';
const INTRUDER = 'arn:aws:sts::123456789012:assumed-role/Contractor/laptop-7';

/** The fleet's first bucket (SurgiCase's, logging partitioned to `surgicase-access-logs`) with a day of logs. */
function withLogs(options: { unreadable?: boolean } = {}) {
  const fleet = fleetPorts(1);
  const source = fleet.buckets[0]!.name;
  const logs = new MemoryLogBucket('surgicase-access-logs');
  const key = (d: Date) => {
    const day = d.toISOString().slice(0, 10).replaceAll('-', '/');
    return `surgical-docs/123456789012/us-east-1/${source}/${day}/${deliveryStamp(d)}-ABCDEF0123456789`;
  };
  const ago = (h: number) => new Date(NOW.getTime() - h * HOUR);
  const line = (spec: Omit<Parameters<typeof logLine>[0], 'bucket'>) => logLine({ bucket: source, ...spec });
  logs.put(
    key(ago(2)),
    `${[
      line({ at: ago(3), operation: 'REST.PUT.OBJECT', key: 'cases/a.pdf', status: 200, size: 2_000, requester: APP }),
      line({ at: ago(2.9), operation: 'REST.PUT.OBJECT', key: 'cases/b.pdf', status: 200, size: 3_000, requester: APP }),
      line({ at: ago(2.8), operation: 'REST.POST.UPLOAD', key: 'video.mp4', status: 200, size: 5_000, requester: ALICE }),
      line({ at: ago(2.7), operation: 'REST.PUT.OBJECT', key: 'cases/c.pdf', status: 503, error: 'SlowDown', requester: APP }),
      line({ at: ago(2.6), operation: 'REST.GET.OBJECT', key: 'payroll.csv', status: 403, error: 'AccessDenied', requester: INTRUDER, ip: '203.0.113.9' }),
      line({ at: ago(2.5), operation: 'REST.PUT.OBJECT', key: 'x.txt', status: 403, error: 'AccessDenied', requester: INTRUDER, ip: '203.0.113.9' }),
    ].join('\n')}\n`,
    ago(2),
  );
  // Two days old: outside the digest's day.
  logs.put(key(ago(48)), `${line({ at: ago(49), operation: 'REST.PUT.OBJECT', key: 'old.pdf', status: 200, size: 1, requester: APP })}\n`, ago(48));
  const objects = options.unreadable
    ? { ...logs, list: () => { throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }); }, read: logs.read.bind(logs) }
    : logs;
  const ports = { ...fleet.ports, accessLogs: { objects, countsCache: memoryCache() } };
  return { ports, buckets: fleet.buckets, logs };
}

describe('the digest from access logs', () => {
  it('counts the day\'s uploads by requester with their failures, and the denied requests, reading only the day\'s log objects', async () => {
    const { ports, buckets, logs } = withLogs();
    const data = await gatherDigest(ports, digestConfig(buckets), { now: NOW, day: '2026-11-26' });
    const uploads = data.buckets[0]!.uploads;
    if (!uploads.ok) throw new Error(uploads.problem);
    expect(uploads.value).toMatchObject({
      count: 3,
      bytes: 10_000,
      scanned: 0,
      atLeast: false,
      accessLog: {
        // A denied PUT is a failed upload too.
        failed: 2,
        byRequester: [
          { requester: 'assumed-role App/i-0ab', uploads: 3, failed: 1 },
          { requester: 'assumed-role Contractor/laptop-7', uploads: 1, failed: 1 },
          { requester: 'user alice', uploads: 1, failed: 0 },
        ],
        denied: { count: 2, byRequester: [{ label: 'assumed-role Contractor/laptop-7', count: 2 }] },
      },
    });
    expect(logs.reads).toHaveLength(1);
    // The listing is not needed when the log answers.
    expect(ports.asked.listing).toHaveLength(0);

    const text = renderText(buildDigest(data).main);
    expect(text).toContain('Uploads in 24 h: 3 succeeded (10.0 KB), 2 failed');
    expect(text).toContain('assumed-role App/i-0ab 3 (1 failed)');
    expect(text).toContain('assumed-role App/i-0ab');
    expect(text).toContain('Denied requests (403): 2');
    expect(text).toContain('assumed-role Contractor/laptop-7');
    expect(text).toContain('Uploads, failures and denied requests from the server access logs');
  });

  it('falls back to the bounded listing, and says why, when the log bucket cannot be read', async () => {
    const { ports, buckets } = withLogs({ unreadable: true });
    const data = await gatherDigest(ports, digestConfig(buckets), { now: NOW, day: '2026-11-26' });
    const uploads = data.buckets[0]!.uploads;
    if (!uploads.ok) throw new Error(uploads.problem);
    expect(uploads.value.accessLog).toBeUndefined();
    expect(uploads.value.accessLogProblem).toContain('surgicase-access-logs');
    expect(ports.asked.listing).toHaveLength(1);
    const text = renderText(buildDigest(data).main);
    expect(text).toContain('the access log was not read');
    expect(text).toContain('Uploads counted from a listing');
  });

  it('golden: one bucket with its access log', async () => {
    const { ports, buckets } = withLogs();
    const report = buildDigest(await gatherDigest(ports, digestConfig(buckets), { now: NOW, day: '2026-11-26' }));
    await expect(`${JSON.stringify({ main: renderSlack(report.main), thread: report.thread.map((m) => renderSlack(m)) }, null, 2)}\n`).toMatchFileSnapshot('../../golden/digest-access-log.slack.json');
    await expect(renderThreadText(report)).toMatchFileSnapshot('../../golden/digest-access-log.txt');
  });
});
