/**
 * Digest scenarios for 1 to 200 buckets, gathered through the real `gatherDigest` over fake ports.
 * Buckets vary deterministically by index: settings, growth, traffic, errors, alerts and test
 * uploads, so the summary has buckets that need attention and the thread has every kind of line.
 */
import type { BucketFacts, ListNewestResult, MetricPoint } from '../../../src/aws/ports.js';
import type { BucketConfig } from '../../../src/config/schema.js';
import type { DigestConfig } from '../../../src/reports/digest/gather.js';
import { gatherDigest } from '../../../src/reports/digest/gather.js';
import type { DigestAlertSource, DigestData, DigestSources, DigestTestUploadSource } from '../../../src/reports/digest/types.js';
import { bareFacts, NOW, SURGICAL_BUCKET, wellKeptFacts } from '../../fixtures/reports/buckets.js';
import { fakeCosts } from '../../fixtures/reports/costs.js';
import { surgicalObjects } from '../../fixtures/reports/listing.js';
import { fakeMetrics, requestSource, storageSource, type PointSource } from '../../fixtures/reports/metrics.js';
import { fakePorts } from '../../fixtures/reports/ports.js';
import { dayOfRequests, hourlyRequests, SURGICAL_STORAGE } from '../../fixtures/reports/scenarios.js';

export { NOW };

/** The n-th bucket of a generated fleet; bucket 0 is SurgiCase's own. */
export function fleetBucket(i: number): BucketConfig {
  if (i === 0) return SURGICAL_BUCKET;
  return {
    name: `surgicase-tenant-${String(i).padStart(3, '0')}-documents`,
    ...(i % 3 === 0 ? {} : { alias: `tenant-${i}` }),
    ...(i % 7 === 0 ? { quota: 60e9 } : {}),
    testPrefix: '_s3-chatops/test/',
    requestMetricsFilterId: 'EntireBucket',
  };
}

function factsOf(i: number, name: string): BucketFacts {
  if (i === 0) return wellKeptFacts(name);
  if (i % 37 === 5) return { ...bareFacts(name), publicAccessBlock: null, hasPolicy: true, policyIsPublic: true };
  if (i % 4 === 1) return { ...bareFacts(name), metricsConfigurations: [{ id: 'EntireBucket' }] };
  return wellKeptFacts(name);
}

function pointsOf(i: number, name: string): PointSource {
  if (i === 0) return (q, r) => [...storageSource(name, SURGICAL_STORAGE)(q, r), ...requestSource(name, hourlyRequests)(q, r)];
  const storage = i % 23 === 11 ? () => [] : storageSource(name, {
    bytes: { StandardStorage: (i % 9) * 7.1e9 + 0.4e9, IntelligentTieringFAStorage: (i % 5) * 1.3e9 },
    objects: 1_000 + i * 977,
    dailyGrowthBytes: (i % 4) * 0.11e9,
    dailyGrowthObjects: (i % 6) * 31,
    days: 30,
  });
  const traffic = i % 17 === 3 ? dayOfRequests : hourlyRequests;
  const requests = factsOf(i, name).metricsConfigurations.length === 0 ? () => [] : requestSource(name, traffic);
  return (q, r) => [...storage(q, r), ...requests(q, r)];
}

function listingOf(i: number): ListNewestResult {
  const count = i === 0 ? 212 : (i * 13) % 40;
  const truncated = i % 50 === 49;
  return { objects: surgicalObjects(count, new Date(NOW.getTime() - 5 * 60_000)), scanned: truncated ? 10_000 : 800 + i * 3, truncated };
}

const alertSource: DigestAlertSource = {
  async summary(bucket) {
    const i = indexOf(bucket);
    if (i % 13 === 6) return { fired: 3, resolved: 1, firing: [{ rule: 'error-rate', since: new Date('2026-11-26T14:05:00Z') }, { rule: 'latency', since: new Date('2026-11-26T15:40:00Z') }] };
    if (i % 11 === 2) return { fired: 1, resolved: 1, firing: [] };
    return { fired: 0, resolved: 0, firing: [] };
  },
};

const testUploadSource: DigestTestUploadSource = {
  async summary(bucket) {
    const i = indexOf(bucket);
    return { runs: 24, failures: i % 29 === 9 ? 2 : 0, slowestMs: 420 + (i % 10) * 55 };
  },
};

function indexOf(bucket: string): number {
  const m = /tenant-(\d+)-/.exec(bucket);
  return m ? Number(m[1]) : 0;
}

export function digestConfig(buckets: BucketConfig[]): DigestConfig {
  return {
    buckets,
    budget: { monthlyUsd: 200 },
    uploads: { scanBudget: 10_000 },
    cleanup: { olderThanDays: 7 },
    schedules: { timezone: 'America/New_York' },
  };
}

/** Fake ports for a fleet of `n` buckets, recording every call. */
export function fleetPorts(n: number) {
  const buckets = Array.from({ length: n }, (_, i) => fleetBucket(i));
  const byName = new Map(buckets.map((b, i) => [b.name, pointsOf(i, b.name)]));
  const metrics = fakeMetrics((q, r): MetricPoint[] => byName.get(q.dimensions.find((d) => d.name === 'BucketName')?.value ?? '')?.(q, r) ?? []);
  const costs = fakeCosts({ until: '2026-11-26', forecast: 26.5 });
  const ports = fakePorts({
    facts: (name) => factsOf(indexOf(name), name),
    listing: (name) => listingOf(indexOf(name)),
    metrics,
    costs,
  });
  return { buckets, ports, metrics, costs };
}

/** The digest data of a fleet of `n` buckets, with or without the alert and test-upload sources. */
export async function fleetDigest(n: number, options: { sources?: boolean } = {}): Promise<DigestData> {
  const { buckets, ports } = fleetPorts(n);
  const sources: DigestSources = options.sources === false ? {} : { alerts: alertSource, testUploads: testUploadSource };
  return gatherDigest(ports, digestConfig(buckets), { now: NOW, day: '2026-11-26', sources });
}
