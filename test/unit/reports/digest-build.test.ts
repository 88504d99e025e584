import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/message/model.js';
import { renderText } from '../../../src/render/text/index.js';
import { attentionOf } from '../../../src/reports/digest/attention.js';
import { bucketItem, buildDigest, DIGEST_INLINE_BUCKETS, DIGEST_THREAD_BUCKETS } from '../../../src/reports/digest/build.js';
import type { DigestBucket } from '../../../src/reports/digest/types.js';
import { fleetDigest } from './digest-fixtures.js';

const text = (m: Message): string => renderText(m);

describe('buildDigest', () => {
  it('puts a screenful of buckets in one message, with every bucket and the cost', async () => {
    const report = buildDigest(await fleetDigest(DIGEST_INLINE_BUCKETS));
    expect(report.thread).toEqual([]);
    const out = text(report.main);
    expect(out).toContain('S3 daily digest: 2026-11-26');
    for (const name of ['surgical-docs', 'tenant-1', 'surgicase-tenant-009-documents']) expect(out).toContain(name);
    expect(out).toMatch(/S3 cost, month to date: +\$\d/);
    expect(out).toMatch(/Daily, last 14 days: [▁▂▃▄▅▆▇█]{14}/);
  });

  it('past a screenful, summarises in the channel and puts every bucket once in the thread, in order', async () => {
    const data = await fleetDigest(DIGEST_INLINE_BUCKETS + 1);
    const report = buildDigest(data);
    expect(report.thread).toHaveLength(2);
    const threadText = report.thread.map(text).join('\n');
    for (const b of data.buckets) {
      const label = b.bucket.alias ?? b.bucket.name;
      expect(threadText.split('\n').filter((l) => new RegExp(`^  . ${label} `).test(l))).toHaveLength(1);
    }
    expect(text(report.thread[0]!)).toContain(`buckets 1–${DIGEST_THREAD_BUCKETS} of 11`);
    expect(text(report.thread[1]!)).toContain('buckets 11–11 of 11');
    const main = text(report.main);
    expect(main).toMatch(/Buckets: +11, \d+ need/);
    expect(main).toContain('Per-bucket detail for all 11 buckets is in the thread (2 replies).');
  });

  it('lists the buckets that need attention first, worst first, and counts the rest', async () => {
    const report = buildDigest(await fleetDigest(200));
    const main = text(report.main);
    const attention = main.slice(main.indexOf('Needs attention ('));
    const lines = attention.split('\n').slice(1).filter((l) => l.startsWith('  '));
    expect(lines).toHaveLength(11);
    expect(lines.slice(0, 10).every((l) => l.startsWith('  ✗'))).toBe(true);
    expect(lines[10]).toMatch(/…and \d+ more, in the thread/);
    expect(report.main.summary).toMatch(/^S3 daily digest 2026-11-26: 200 buckets, \d+ need attention, \d+ alerts firing, \$[\d.,]+ S3 cost month to date$/);
  });

  it('says once that alert history and test uploads are not available, rather than on every bucket', async () => {
    const report = buildDigest(await fleetDigest(3, { sources: false }));
    const out = text(report.main);
    expect(out).toContain('Alert history not available yet');
    expect(out).toContain('Scheduled test uploads not available yet');
    expect(out).not.toMatch(/^ +Alerts:/m);
  });

  it('reports a Cost Explorer failure in place of the cost, and still builds the rest', async () => {
    const data = await fleetDigest(1);
    const report = buildDigest({ ...data, cost: { ok: false, reason: 'failed', problem: 'Access denied: the bot\'s role needs ce:GetCostAndUsage.' } });
    expect(text(report.main)).toContain('Cost Explorer could not be read: Access denied: the bot\'s role needs ce:GetCostAndUsage.');
    expect(text(report.main)).toContain('surgical-docs');
  });
});

describe('attentionOf', () => {
  const healthy = async (): Promise<DigestBucket> => (await fleetDigest(1)).buckets[0]!;

  it('is ok for a healthy bucket and critical for a firing alert or a failed test upload', async () => {
    const b = await healthy();
    expect(attentionOf(b)).toEqual({ severity: 'ok', reasons: [] });
    expect(attentionOf({ ...b, alerts: { ok: true, value: { fired: 1, resolved: 0, firing: [{ rule: 'latency', since: new Date() }] } } })).toEqual({
      severity: 'critical',
      reasons: ['1 alert firing (`latency`)'],
    });
    expect(attentionOf({ ...b, testUploads: { ok: true, value: { runs: 4, failures: 1 } } }).severity).toBe('critical');
  });

  it('warns at an error rate above 10% with at least 20 requests, and not below either', async () => {
    const b = await healthy();
    const withRate = (requests: number, errors: number) =>
      attentionOf({ ...b, requests: { ok: true, value: { state: 'enabled', requests, errors4xx: errors, errors5xx: 0, errorRate: errors / requests, latencyAverageMs: null } } });
    expect(withRate(100, 11)).toEqual({ severity: 'warning', reasons: ['error rate 11.0%'] });
    expect(withRate(100, 10).severity).toBe('ok');
    expect(withRate(19, 19).severity).toBe('ok');
  });

  it('warns when a bucket passes 80% of its quota, or a source of its own could not be read', async () => {
    const b = await healthy();
    if (!b.storage.ok || b.storage.value.totalBytes === null) throw new Error('fixture has storage');
    expect(attentionOf({ ...b, quotaBytes: b.storage.value.totalBytes / 0.81 }).reasons).toEqual(['size 81% of quota']);
    expect(attentionOf({ ...b, uploads: { ok: false, reason: 'failed', problem: 'denied' } })).toEqual({ severity: 'warning', reasons: ['could not read its listing'] });
  });
});

describe('bucketItem: one bucket block never contradicts itself', () => {
  it('gives the figures behind an error-rate warning even when request metrics are off now', async () => {
    const b = (await fleetDigest(1)).buckets[0]!;
    // The configuration was removed during the day: CloudWatch still holds the day's figures.
    const off: DigestBucket = { ...b, requests: { ok: true, value: { state: 'disabled', requests: 500, errors4xx: 90, errors5xx: 0, errorRate: 0.18, latencyAverageMs: null } } };
    const attention = attentionOf(off);
    expect(attention.reasons).toContain('error rate 18.0%');
    const detail = bucketItem(off, attention).detail ?? '';
    expect(detail).toContain('errors 18.0%');
    expect(detail).not.toContain('so no error rate');
    expect(detail).toContain('request metrics are off now');
  });

  it('says request metrics are off, and warns of no error rate, when there are no figures', async () => {
    const b = (await fleetDigest(1)).buckets[0]!;
    const off: DigestBucket = { ...b, requests: { ok: true, value: { state: 'disabled', requests: 0, errors4xx: 0, errors5xx: 0, errorRate: null, latencyAverageMs: null } } };
    const attention = attentionOf(off);
    expect(attention.reasons.some((r) => r.includes('error rate'))).toBe(false);
    expect(bucketItem(off, attention).detail).toContain('Requests: request metrics are off, so no error rate or latency');
  });
});
