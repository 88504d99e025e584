import { describe, expect, it } from 'vitest';
import type { BucketConfig } from '../../../src/config/schema.js';
import { renderText } from '../../../src/render/text/index.js';
import type { BucketPlace } from '../../../src/aws/ports.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { buildOverview, gatherOverview } from '../../../src/reports/overview.js';
import { ARCHIVE_BUCKET, NOW, SURGICAL_BUCKET } from '../../fixtures/reports/buckets.js';
import { combine, fakeMetrics, requestSource, storageSource } from '../../fixtures/reports/metrics.js';
import { fakePorts } from '../../fixtures/reports/ports.js';
import { hourlyRequests, SURGICAL_STORAGE } from '../../fixtures/reports/scenarios.js';

const metrics = () =>
  fakeMetrics(
    combine(
      storageSource(SURGICAL_BUCKET.name, SURGICAL_STORAGE),
      requestSource(SURGICAL_BUCKET.name, hourlyRequests),
      storageSource(ARCHIVE_BUCKET.name, { bytes: { GlacierStorage: 1.9e12, StandardStorage: 2e9 }, objects: 1_204_118, dailyGrowthBytes: 0, dailyGrowthObjects: 0, days: 30 }),
    ),
  );

describe('gatherOverview', () => {
  it('asks every bucket in one GetMetricData call and reads no facts', async () => {
    const m = metrics();
    const ports = fakePorts({ metrics: m });
    const data = await gatherOverview(ports, [SURGICAL_BUCKET, ARCHIVE_BUCKET], NOW);
    expect(m.calls).toHaveLength(1);
    expect(ports.asked.facts).toEqual([]);
    expect(data.buckets.map((b) => [b.bucket.alias, b.storage.objects, b.lastHour.requests])).toEqual([
      ['surgical-docs', 48_213, 1840],
      ['archive', 1_204_118, 0],
    ]);
  });

  it('splits into calls of at most 500 queries for a large fleet', async () => {
    const m = metrics();
    const fleet: BucketConfig[] = Array.from({ length: 45 }, (_, i) => ({ ...ARCHIVE_BUCKET, name: `surgicase-bucket-${i}`, alias: `b${i}` }));
    await gatherOverview(fakePorts({ metrics: m }), fleet, NOW);
    expect(m.calls.length).toBe(3);
    expect(m.calls.every((c) => c.queries.length <= 500)).toBe(true);
  });
});

describe('buildOverview', () => {
  it('gives one line per bucket: size, objects, 1 h error rate and firing alerts', async () => {
    const data = await gatherOverview(fakePorts({ metrics: metrics() }), [SURGICAL_BUCKET, ARCHIVE_BUCKET], NOW, {
      alerts: { [ARCHIVE_BUCKET.name]: [{ rule: 'size-quota', severity: 'warning', text: 'Size 82% of quota', since: NOW }] },
    });
    const { message } = buildOverview(data);
    const text = renderText(message);
    expect(text).toContain('✓ surgical-docs · 51.2 GB · 48,213 objects · 0.8% errors in 1 h · no alerts');
    expect(text).toContain('! archive · 1.9 TB · 1,204,118 objects · no requests in 1 h · 1 alert firing');
    expect(message.summary).toBe('S3 buckets: 2 buckets, 1 alert firing');
  });

  it('says when a bucket has no storage metrics yet', () => {
    const { message } = buildOverview({
      generatedAt: NOW,
      buckets: [{ bucket: { name: 'new-bucket' }, storage: { totalBytes: null, objects: null, asOf: null, byClass: [], change: null }, lastHour: { requests: 0, errors4xx: 0, errors5xx: 0, errorRate: null, hasData: false } }],
    });
    expect(renderText(message)).toContain('new-bucket · no storage metrics yet · no requests in 1 h');
  });

  const noStorage = { totalBytes: null, objects: null, asOf: null, byClass: [], change: null };
  const stored = { ...noStorage, totalBytes: 5e9, objects: 1_000 };

  it('marks a bucket at an error rate past the error-rate alert default with a warning, as the detail does, not ✓', () => {
    const { message } = buildOverview({
      generatedAt: NOW,
      buckets: [{ bucket: { name: 'busy' }, storage: stored, lastHour: { requests: 1_000, errors4xx: 160, errors5xx: 0, errorRate: 0.16, hasData: true } }],
    });
    const text = renderText(message);
    expect(text).toContain('! busy · 5.0 GB · 1,000 objects · 16.0% errors in 1 h');
    expect(text).not.toContain('✓ busy');
  });

  it('does not mark ✓ a bucket it knows nothing about (no metrics at all, as for a bucket that does not exist)', () => {
    const { message } = buildOverview({
      generatedAt: NOW,
      buckets: [{ bucket: { name: 'gone' }, storage: noStorage, lastHour: { requests: 0, errors4xx: 0, errors5xx: 0, errorRate: null, hasData: false } }],
    });
    const text = renderText(message);
    expect(text).not.toContain('✓ gone');
    expect(text).toContain('i gone · no storage metrics yet');
  });

  it('keeps ✓ for a low error rate, and for too few requests to judge', () => {
    const { message } = buildOverview({
      generatedAt: NOW,
      buckets: [
        { bucket: { name: 'calm' }, storage: stored, lastHour: { requests: 1_000, errors4xx: 5, errors5xx: 0, errorRate: 0.005, hasData: true } },
        { bucket: { name: 'quiet' }, storage: stored, lastHour: { requests: 5, errors4xx: 2, errors5xx: 0, errorRate: 0.4, hasData: true } },
      ],
    });
    const text = renderText(message);
    expect(text).toContain('✓ calm');
    expect(text).toContain('✓ quiet');
  });
});

describe('the overview of a fleet in several accounts and regions', () => {
  const OTHER = '222222222222';
  const fleet: BucketConfig[] = [
    { ...SURGICAL_BUCKET },
    { ...ARCHIVE_BUCKET, account: OTHER },
  ];
  const placement = (places: Record<string, BucketPlace>) => ({ placeOf: async (bucket: string) => places[bucket]! });
  const places = { [SURGICAL_BUCKET.name]: { region: 'us-east-1' }, [ARCHIVE_BUCKET.name]: { account: OTHER, region: 'eu-west-1' } };

  it('asks each account and region in its own call and lists the buckets under both', async () => {
    const m = metrics();
    const data = await gatherOverview({ ...fakePorts({ metrics: m }), placement: placement(places) }, fleet, NOW);
    // Two calls, each of one bucket's place only.
    expect(m.calls.map((c) => [...new Set(c.queries.map((q) => q.dimensions[0]!.value))]).sort()).toEqual([[ARCHIVE_BUCKET.name], [SURGICAL_BUCKET.name]].sort());
    const text = renderText(buildOverview(data).message);
    expect(text.indexOf(`Account ${OTHER} · eu-west-1`)).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('Own account · us-east-1')).toBeGreaterThan(text.indexOf(`Account ${OTHER} · eu-west-1`));
    expect(text.indexOf('archive')).toBeLessThan(text.indexOf('Own account · us-east-1'));
  });

  it('shows the buckets of the accounts that answered when another account\'s role cannot be assumed', async () => {
    const m = metrics();
    const refused = new UserFacingError('aws_credentials', `The role \`arn:aws:iam::${OTHER}:role/read\` in ${OTHER} could not be assumed: AccessDenied.`);
    const ports = {
      ...fakePorts({ metrics: m }),
      placement: placement(places),
      metrics: { getMetricData: async (queries: Parameters<typeof m.getMetricData>[0], range: Parameters<typeof m.getMetricData>[1]) => (queries.some((q) => q.dimensions[0]!.value === ARCHIVE_BUCKET.name) ? Promise.reject(refused) : m.getMetricData(queries, range)) },
    };
    const data = await gatherOverview(ports, fleet, NOW);
    expect(data.metricsAnswered).toBeUndefined();
    expect(data.buckets.map((b) => [b.bucket.alias, b.storage.objects, b.problem])).toEqual([
      ['surgical-docs', 48_213, undefined],
      ['archive', null, refused.userMessage],
    ]);
    expect(renderText(buildOverview(data).message)).toContain(`could not be assumed: AccessDenied`);
  });
});

describe('overview: a bucket that does not exist', () => {
  const gone: BucketConfig = { ...ARCHIVE_BUCKET, name: 'surgicase-deleted-bucket', alias: 'deleted' };
  const fresh: BucketConfig = { ...ARCHIVE_BUCKET, name: 'surgicase-new-bucket', alias: 'new' };

  /** Ports whose HeadBucket answers from `existing`, recording what it was asked. */
  function portsWith(existing: Set<string>, failing = new Set<string>()) {
    const ports = fakePorts({ metrics: fakeMetrics(combine(storageSource(SURGICAL_BUCKET.name, SURGICAL_STORAGE), requestSource(SURGICAL_BUCKET.name, hourlyRequests))) });
    const headed: string[] = [];
    ports.facts.exists = async (bucket: string) => {
      headed.push(bucket);
      if (failing.has(bucket)) throw new Error('S3 did not answer');
      return existing.has(bucket);
    };
    return { ports, headed };
  }

  it('is shown as missing with ✗ and a hint, while a new bucket keeps its neutral mark', async () => {
    const { ports, headed } = portsWith(new Set([SURGICAL_BUCKET.name, fresh.name]));
    const data = await gatherOverview(ports, [SURGICAL_BUCKET, gone, fresh], NOW);
    // Only the buckets without figures are asked: the one with figures plainly exists.
    expect(headed.sort()).toEqual([gone.name, fresh.name].sort());
    const text = renderText(buildOverview(data).message);
    expect(text).toContain('✗ deleted · does not exist in this AWS account');
    expect(text).toContain('NoSuchBucket for surgicase-deleted-bucket: check the name in the configuration');
    expect(text).toContain('i new · no storage metrics yet · no requests in 1 h');
    expect(text).toContain('✓ surgical-docs');
  });

  it('is not called missing when HeadBucket fails for another reason', async () => {
    const { ports } = portsWith(new Set([SURGICAL_BUCKET.name]), new Set([gone.name]));
    const data = await gatherOverview(ports, [SURGICAL_BUCKET, gone], NOW);
    expect(data.buckets[1]!.missing).toBeUndefined();
    expect(renderText(buildOverview(data).message)).toContain('i deleted · no storage metrics yet');
  });
});
