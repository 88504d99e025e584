import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../../src/lib/errors.js';
import { DEFAULT_COST_DAYS, gatherCosts } from '../../../src/reports/costs.js';
import { DIGEST_UPLOAD_COUNT_CAP, digestQueries, gatherDigest } from '../../../src/reports/digest/gather.js';
import { digestConfig, fleetBucket, fleetPorts, NOW } from './digest-fixtures.js';

describe('gatherDigest: the calls it makes', () => {
  it('asks CloudWatch once for every bucket, which the adapter splits into the fewest 500-query calls', async () => {
    const { buckets, ports, metrics } = fleetPorts(200);
    const data = await gatherDigest(ports, digestConfig(buckets), { now: NOW });
    expect(metrics.calls).toHaveLength(1);
    const asked = metrics.calls[0]!.queries;
    expect(asked).toHaveLength(200 * digestQueries(fleetBucket(0), 'b0').length);
    expect(new Set(asked.map((q) => q.id)).size).toBe(asked.length);
    expect(data.metricQueries).toBe(asked.length);
    // The storage metrics' three days and the request metrics' day share one range ending now.
    const { start, end } = metrics.calls[0]!.range;
    expect(end.toISOString()).toBe('2026-11-26T16:36:00.000Z');
    expect(end.getTime() - start.getTime()).toBe(3 * 86_400_000);
  });

  it('asks Cost Explorer exactly what `/s3 costs` asks, so the cost cache answers both', async () => {
    const { buckets, ports, costs } = fleetPorts(3);
    await gatherDigest(ports, digestConfig(buckets), { now: NOW });
    const alone = fleetPorts(3);
    await gatherCosts(alone.ports, digestConfig(buckets), NOW, DEFAULT_COST_DAYS);
    expect(costs.queries).toEqual(alone.costs.queries);
    expect(costs.queries).toContainEqual({ start: '2026-10-01', end: '2026-11-27', groupBy: { type: 'DIMENSION', key: 'USAGE_TYPE' } });
    expect(costs.forecastRanges).toEqual(alone.costs.forecastRanges);
  });

  it('reads each bucket\'s facts once and lists each bucket once, bounded, for the last 24 h', async () => {
    const { buckets, ports } = fleetPorts(12);
    await gatherDigest(ports, digestConfig(buckets), { now: NOW });
    expect([...ports.asked.facts].sort()).toEqual(buckets.map((b) => b.name).sort());
    expect(ports.asked.listing).toHaveLength(12);
    for (const call of ports.asked.listing) {
      expect(call.options).toEqual({ since: new Date('2026-11-25T16:36:00Z'), limit: DIGEST_UPLOAD_COUNT_CAP, scanBudget: 10_000 });
    }
  });

  it('keeps at most `concurrency` buckets in flight', async () => {
    const { buckets, ports } = fleetPorts(20);
    let inFlight = 0;
    let most = 0;
    const facts = ports.facts.getFacts.bind(ports.facts);
    ports.facts.getFacts = async (bucket) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      return facts(bucket);
    };
    await gatherDigest(ports, digestConfig(buckets), { now: NOW, concurrency: 3 });
    expect(most).toBe(3);
  });

  it('passes the day\'s start to the alert and test-upload sources', async () => {
    const { buckets, ports } = fleetPorts(2);
    const asked: [string, string, string][] = [];
    await gatherDigest(ports, digestConfig(buckets), {
      now: NOW,
      sources: {
        alerts: { summary: async (b, since) => (asked.push(['alerts', b, since.toISOString()]), { fired: 0, resolved: 0, firing: [] }) },
        testUploads: { summary: async (b, since) => (asked.push(['tests', b, since.toISOString()]), { runs: 0, failures: 0 }) },
      },
    });
    expect(asked).toHaveLength(4);
    expect(asked.every(([, , since]) => since === '2026-11-25T16:36:00.000Z')).toBe(true);
  });
});

describe('gatherDigest: figures and failures', () => {
  it('reads size, the change over 24 h, requests and uploads per bucket', async () => {
    const { buckets, ports } = fleetPorts(1);
    const [b] = (await gatherDigest(ports, digestConfig(buckets), { now: NOW })).buckets;
    if (!b?.storage.ok || !b.requests.ok || !b.uploads.ok) throw new Error('expected every part read');
    expect(b.storage.value.change).toEqual({ days: 1, bytes: 0.35e9, objects: 212 });
    expect(b.storage.value.objects).toBe(48_213);
    expect(b.requests.value.state).toBe('enabled');
    // 24 hourly periods of the fixture's steady traffic.
    expect(b.requests.value.requests).toBeGreaterThan(24 * 1800 - 1);
    expect(b.uploads.value).toMatchObject({ count: 212, atLeast: false });
  });

  it('says "not available" for sources not given, and never fails the digest for one that throws', async () => {
    const { buckets, ports } = fleetPorts(2);
    ports.listing.listNewest = async () => {
      throw new UserFacingError('aws_access_denied', 'Access denied: the bot\'s role needs s3:ListBucket on this bucket.');
    };
    ports.metrics.getMetricData = async () => {
      throw new UserFacingError('aws_throttled', 'CloudWatch is throttling requests; try again in a minute.');
    };
    ports.costs.getDailyCost = async () => {
      throw new Error('socket hang up');
    };
    const data = await gatherDigest(ports, digestConfig(buckets), {
      now: NOW,
      sources: { alerts: { summary: async () => Promise.reject(new Error('redis down')) } },
    });
    const b = data.buckets[1]!;
    expect(b.uploads).toEqual({ ok: false, reason: 'failed', problem: 'Access denied: the bot\'s role needs s3:ListBucket on this bucket.' });
    expect(b.storage).toMatchObject({ ok: false, reason: 'failed', problem: expect.stringMatching(/throttling/) });
    expect(b.requests.ok).toBe(false);
    expect(b.alerts).toMatchObject({ ok: false, reason: 'failed' });
    expect(b.testUploads).toEqual({ ok: false, reason: 'missing', problem: 'scheduled test uploads not available yet' });
    expect(b.hygiene.ok).toBe(true);
    expect(data.cost).toMatchObject({ ok: false, reason: 'failed' });
  });
});
