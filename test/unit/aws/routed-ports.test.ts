import { describe, expect, it } from 'vitest';
import { BucketPlaces } from '../../../src/aws/bucket-places.js';
import { createAwsClients, type AwsPlace } from '../../../src/aws/clients.js';
import type { BucketFacts, MetricQuery, MetricSeries } from '../../../src/aws/ports.js';
import { placeKey, routedPorts, type PlaceAdapters } from '../../../src/aws/routed-ports.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';

const OTHER = '222222222222';

/** Buckets with configured regions, so no GetBucketLocation is asked; the factory builds no client until asked. */
function fleet() {
  const clients = createAwsClients({ region: 'us-east-1', logger: silentLogger(), credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, accounts: [{ id: OTHER, roleArn: `arn:aws:iam::${OTHER}:role/read` }] });
  const buckets = [
    { name: 'home-a', region: 'us-east-1' },
    { name: 'home-b', region: 'us-east-1' },
    { name: 'eu-a', region: 'eu-west-1' },
    { name: 'other-a', region: 'eu-central-1', account: OTHER },
  ];
  return { clients, places: new BucketPlaces(clients.factory, buckets, silentLogger()) };
}

function query(bucket: string, i: number): MetricQuery {
  return { id: `q${bucket.replace(/-/g, '')}${i}`, namespace: 'AWS/S3', metricName: 'AllRequests', dimensions: [{ name: 'BucketName', value: bucket }, { name: 'FilterId', value: 'EntireBucket' }], stat: 'Sum', periodSeconds: 60 };
}

/** Adapters whose metrics record each call (as GetMetricData's 500-query chunks) per place. */
function recordingAdapters(calls: Map<string, number[]>, fail?: (place: AwsPlace) => Error | undefined) {
  return (place: AwsPlace): PlaceAdapters => {
    const key = placeKey(place);
    const unused = () => {
      throw new Error('not used');
    };
    return {
      facts: {
        getFacts: async (bucket) => {
          const problem = fail?.(place);
          if (problem) throw problem;
          return { bucket, region: place.region, logging: { targetBucket: `${bucket}-logs`, targetPrefix: '', partitioned: false } } as unknown as BucketFacts;
        },
      },
      listing: { listNewest: unused },
      logObjects: { list: unused, read: unused },
      trail: {
        bucketEvents: async (bucket) => {
          const problem = fail?.(place);
          if (problem) throw problem;
          calls.set(key, [...(calls.get(key) ?? []), -1]);
          return [{ eventId: key, eventName: 'PutBucketPolicy', eventTime: new Date(0), record: bucket }];
        },
      },
      metrics: {
        getMetricData: async (queries) => {
          const problem = fail?.(place);
          if (problem) throw problem;
          for (let i = 0; i < queries.length; i += 500) calls.set(key, [...(calls.get(key) ?? []), Math.min(500, queries.length - i)]);
          return new Map<string, MetricSeries>(queries.map((q) => [q.id, { id: q.id, points: [{ timestamp: new Date(0), value: placeKey(place).length }] }]));
        },
      },
    };
  };
}

const unusedCosts = { getDailyCost: async () => Promise.reject(new Error('unused')), getForecast: async () => null };
const range = { start: new Date(0), end: new Date(60_000) };

describe('routedPorts', () => {
  it('reads metrics in one batch per account and region: calls = the sum over groups of ceil(queries ÷ 500)', async () => {
    const { places, clients } = fleet();
    const calls = new Map<string, number[]>();
    const ports = routedPorts({ places, adaptersFor: recordingAdapters(calls), costs: unusedCosts, accessLogs: { countsCache: { get: async () => null, set: async () => undefined } } });
    // 1,100 queries in us-east-1 (two buckets), 10 in eu-west-1, 501 in the other account.
    const queries = [
      ...Array.from({ length: 600 }, (_, i) => query('home-a', i)),
      ...Array.from({ length: 500 }, (_, i) => query('home-b', i)),
      ...Array.from({ length: 10 }, (_, i) => query('eu-a', i)),
      ...Array.from({ length: 501 }, (_, i) => query('other-a', i)),
    ];
    const series = await ports.metrics.getMetricData(queries, range);
    expect(Object.fromEntries(calls)).toEqual({ '-/us-east-1': [500, 500, 100], '-/eu-west-1': [10], [`${OTHER}/eu-central-1`]: [500, 1] });
    expect([...calls.values()].flat()).toHaveLength(3 + 1 + 2);
    // Every query answered, by its own place's adapter.
    expect(series.size).toBe(queries.length);
    expect(series.get('qothera0')!.points[0]!.value).toBe(placeKey({ account: OTHER, region: 'eu-central-1' }).length);
    clients.release();
  });

  it('says which account and region an error came from, and leaves the bot\'s own region\'s errors as they were', async () => {
    const { places, clients } = fleet();
    const denied = new UserFacingError('aws_access_denied', 'AWS denied GetMetricData. Grant cloudwatch:GetMetricData.');
    const ports = routedPorts({ places, adaptersFor: recordingAdapters(new Map(), () => denied), costs: unusedCosts, accessLogs: { countsCache: { get: async () => null, set: async () => undefined } } });
    await expect(ports.metrics.getMetricData([query('other-a', 0)], range)).rejects.toThrow(`In account ${OTHER}, eu-central-1: AWS denied GetMetricData.`);
    await expect(ports.facts.getFacts('eu-a')).rejects.toThrow('In eu-west-1: AWS denied');
    await expect(ports.facts.getFacts('home-a')).rejects.toBe(denied);
    clients.release();
  });

  it('asks CloudTrail about each bucket in the bucket\'s own account and region', async () => {
    const { places, clients } = fleet();
    const calls = new Map<string, number[]>();
    const ports = routedPorts({ places, adaptersFor: recordingAdapters(calls), costs: unusedCosts, accessLogs: { countsCache: { get: async () => null, set: async () => undefined } } });
    const other = await ports.trail!.bucketEvents('other-a', range);
    const eu = await ports.trail!.bucketEvents('eu-a', range);
    expect(other.map((r) => r.eventId)).toEqual([`${OTHER}/eu-central-1`]);
    expect(eu.map((r) => r.eventId)).toEqual(['-/eu-west-1']);
    expect([...calls.keys()].sort()).toEqual(['-/eu-west-1', `${OTHER}/eu-central-1`]);
    clients.release();
  });

  it('says which account and region a CloudTrail error came from', async () => {
    const { places, clients } = fleet();
    const denied = new UserFacingError('aws_access_denied', 'AWS denied LookupEvents. Grant cloudtrail:LookupEvents.');
    const ports = routedPorts({ places, adaptersFor: recordingAdapters(new Map(), () => denied), costs: unusedCosts, accessLogs: { countsCache: { get: async () => null, set: async () => undefined } } });
    await expect(ports.trail!.bucketEvents('other-a', range)).rejects.toThrow(`In account ${OTHER}, eu-central-1: AWS denied LookupEvents.`);
    clients.release();
  });

  it('reads a watched bucket\'s access-log bucket in the watched bucket\'s account and region', async () => {
    const { places, clients } = fleet();
    const ports = routedPorts({ places, adaptersFor: recordingAdapters(new Map()), costs: unusedCosts, accessLogs: { countsCache: { get: async () => null, set: async () => undefined } } });
    await ports.facts.getFacts('other-a');
    expect(await ports.placement!.placeOf('other-a-logs')).toEqual({ account: OTHER, region: 'eu-central-1' });
    clients.release();
  });
});

describe('AwsClientFactory', () => {
  it('builds one client per account, region and service, and reuses it', () => {
    const { clients } = fleet();
    const { factory } = clients;
    const a = factory.get('cloudWatch', { region: 'eu-west-1' });
    expect(factory.get('cloudWatch', { region: 'eu-west-1' })).toBe(a);
    expect(factory.get('cloudWatch', { region: 'eu-central-1' })).not.toBe(a);
    expect(factory.get('cloudWatch', { account: OTHER, region: 'eu-west-1' })).not.toBe(a);
    // An account without a role is the bot's own: the same client.
    expect(factory.get('cloudWatch', { account: '999999999999', region: 'eu-west-1' })).toBe(a);
    // Cost Explorer has one endpoint: one client per account whatever the region.
    expect(factory.get('costExplorer', { region: 'eu-west-1' })).toBe(clients.costExplorer);
    // CloudTrail is read where the bucket is: one client per account and region.
    expect(factory.get('cloudTrail')).toBe(clients.cloudTrail);
    expect(factory.get('cloudTrail', { account: OTHER, region: 'eu-west-1' })).not.toBe(clients.cloudTrail);
    clients.release();
    expect(() => factory.get('s3')).toThrow('released');
  });
});
