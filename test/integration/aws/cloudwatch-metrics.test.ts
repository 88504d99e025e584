import { beforeAll, expect, it } from 'vitest';
import { CloudWatchMetrics } from '../../../src/aws/cloudwatch-metrics.js';
import type { MetricQuery } from '../../../src/aws/ports.js';
import { createBucket, putObjects, putRequestMetrics, putStorageMetrics, uniqueBucketName } from '../../helpers/seed.js';
import { createTestAwsClients, describeWithServices } from '../../helpers/services.js';
import { countCommands } from './command-counter.js';

const DAY_MS = 86_400_000;

function midnightUtc(daysAgo: number, now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY_MS);
}

function storageQuery(id: string, bucket: string, metricName: string, storageType: string): MetricQuery {
  return {
    id,
    namespace: 'AWS/S3',
    metricName,
    // StorageType first: the reverse of how the seed stored them.
    dimensions: [
      { name: 'StorageType', value: storageType },
      { name: 'BucketName', value: bucket },
    ],
    stat: 'Average',
    periodSeconds: 86_400,
  };
}

describeWithServices(
  'CloudWatchMetrics against moto',
  () => {
    const bucket = uniqueBucketName('metrics');
    const quiet = uniqueBucketName('metrics-quiet');
    const sizes = [1_000, 2_000, 3_000, 4_000, 5_000];

    beforeAll(async () => {
      await createBucket(bucket);
      await createBucket(quiet);
      await putObjects(quiet, [{ key: 'a.txt', size: 10 }]);
      await putStorageMetrics(bucket, {
        days: 5,
        sizeBytesByStorageType: { StandardStorage: sizes, StandardIAStorage: 700 },
        objects: [10, 20, 30, 40, 50],
      });
      const minute = Math.floor(Date.now() / 60_000) * 60_000;
      await putRequestMetrics(bucket, 'EntireBucket', [
        { at: new Date(minute - 3 * 60_000), AllRequests: 100, '4xxErrors': 4, '5xxErrors': 1, TotalRequestLatency: 120 },
        { at: new Date(minute - 2 * 60_000), AllRequests: 50, '4xxErrors': 0, '5xxErrors': 2, TotalRequestLatency: 80 },
      ]);
    });

    it('reads daily storage metrics oldest first, whatever order the dimensions are given in', async () => {
      const { cloudWatch } = createTestAwsClients();
      const series = await new CloudWatchMetrics(cloudWatch).getMetricData(
        [
          storageQuery('standard', bucket, 'BucketSizeBytes', 'StandardStorage'),
          storageQuery('ia', bucket, 'BucketSizeBytes', 'StandardIAStorage'),
          storageQuery('objects', bucket, 'NumberOfObjects', 'AllStorageTypes'),
        ],
        { start: midnightUtc(6), end: new Date() },
      );
      expect(series.get('standard')!.points.map((p) => p.value)).toEqual(sizes);
      expect(series.get('standard')!.points.map((p) => p.timestamp.toISOString())).toEqual(
        [4, 3, 2, 1, 0].map((d) => midnightUtc(d).toISOString()),
      );
      expect(series.get('ia')!.points.map((p) => p.value)).toEqual([700, 700, 700, 700, 700]);
      expect(series.get('objects')!.points.map((p) => p.value)).toEqual([10, 20, 30, 40, 50]);
    });

    it('answers only what was put: no storage datapoints for a bucket that has objects', async () => {
      const { cloudWatch } = createTestAwsClients();
      const series = await new CloudWatchMetrics(cloudWatch).getMetricData(
        [storageQuery('size', quiet, 'BucketSizeBytes', 'StandardStorage'), storageQuery('count', quiet, 'NumberOfObjects', 'AllStorageTypes')],
        { start: midnightUtc(3), end: new Date() },
      );
      expect(series.get('size')!.points).toEqual([]);
      expect(series.get('count')!.points).toEqual([]);
    });

    it('reads per-minute request metrics by filter', async () => {
      const { cloudWatch } = createTestAwsClients();
      const request = (id: string, metricName: string, stat: MetricQuery['stat']): MetricQuery => ({
        id,
        namespace: 'AWS/S3',
        metricName,
        dimensions: [
          { name: 'FilterId', value: 'EntireBucket' },
          { name: 'BucketName', value: bucket },
        ],
        stat,
        periodSeconds: 60,
      });
      const minute = Math.floor(Date.now() / 60_000) * 60_000;
      const series = await new CloudWatchMetrics(cloudWatch).getMetricData(
        [request('all', 'AllRequests', 'Sum'), request('e4', '4xxErrors', 'Sum'), request('e5', '5xxErrors', 'Sum'), request('lat', 'TotalRequestLatency', 'Average')],
        { start: new Date(minute - 10 * 60_000), end: new Date(minute + 60_000) },
      );
      expect(series.get('all')!.points.map((p) => p.value)).toEqual([100, 50]);
      expect(series.get('e4')!.points.map((p) => p.value)).toEqual([4, 0]);
      expect(series.get('e5')!.points.map((p) => p.value)).toEqual([1, 2]);
      expect(series.get('lat')!.points.map((p) => p.value)).toEqual([120, 80]);
    });

    it('sends more than 500 queries in exactly two GetMetricData calls and merges the answers', async () => {
      const { cloudWatch } = createTestAwsClients();
      const counter = countCommands(cloudWatch);
      const queries = Array.from({ length: 501 }, (_, i) =>
        i === 500
          ? storageQuery('last', bucket, 'NumberOfObjects', 'AllStorageTypes')
          : storageQuery(`q${i}`, bucket, 'BucketSizeBytes', i === 0 ? 'StandardStorage' : `Unused${i}`),
      );
      const series = await new CloudWatchMetrics(cloudWatch).getMetricData(queries, { start: midnightUtc(6), end: new Date() });
      expect(counter.count('GetMetricData')).toBe(2);
      expect(series.size).toBe(501);
      expect(series.get('q0')!.points.map((p) => p.value)).toEqual(sizes);
      expect(series.get('q1')!.points).toEqual([]);
      expect(series.get('last')!.points.map((p) => p.value)).toEqual([10, 20, 30, 40, 50]);
    });
  },
  ['moto'],
);
