import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { CloudWatchMetrics } from '../../../src/aws/cloudwatch-metrics.js';
import type { MetricQuery } from '../../../src/aws/ports.js';
import { UserFacingError } from '../../../src/lib/errors.js';
import { stubClient } from './stub-client.js';

const client = () => new CloudWatchClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const query = (id: string): MetricQuery => ({
  id,
  namespace: 'AWS/S3',
  metricName: 'AllRequests',
  dimensions: [{ name: 'BucketName', value: 'b' }],
  stat: 'Sum',
  periodSeconds: 60,
});
const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

describe('CloudWatchMetrics', () => {
  it('follows NextToken, merges a series split across pages, and orders points oldest first', async () => {
    const cloudWatch = client();
    const calls = stubClient(cloudWatch, (_command, input) =>
      input.NextToken === undefined
        ? { NextToken: 'more', MetricDataResults: [{ Id: 'a', Timestamps: [t(3), t(1)], Values: [30, 10] }] }
        : { MetricDataResults: [{ Id: 'a', Timestamps: [t(2)], Values: [20] }, { Id: 'b', Timestamps: [t(0)], Values: [5] }] },
    );
    const series = await new CloudWatchMetrics(cloudWatch).getMetricData([query('a'), query('b'), query('c')], { start: t(0), end: t(5) });
    expect(calls.map((c) => c.input.NextToken)).toEqual([undefined, 'more']);
    expect(series.get('a')!.points).toEqual([
      { timestamp: t(1), value: 10 },
      { timestamp: t(2), value: 20 },
      { timestamp: t(3), value: 30 },
    ]);
    expect(series.get('b')!.points).toEqual([{ timestamp: t(0), value: 5 }]);
    expect(series.get('c')!.points).toEqual([]);
  });

  it('splits 1,200 queries into calls of 500, 500 and 200', async () => {
    const cloudWatch = client();
    const calls = stubClient(cloudWatch, () => ({ MetricDataResults: [] }));
    await new CloudWatchMetrics(cloudWatch).getMetricData(
      Array.from({ length: 1_200 }, (_, i) => query(`q${i}`)),
      { start: t(0), end: t(5) },
    );
    expect(calls.map((c) => (c.input.MetricDataQueries as unknown[]).length).sort()).toEqual([200, 500, 500]);
  });

  it('turns a denied call into a message naming cloudwatch:GetMetricData', async () => {
    const cloudWatch = client();
    stubClient(cloudWatch, () => {
      throw Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    });
    const error = await new CloudWatchMetrics(cloudWatch).getMetricData([query('a')], { start: t(0), end: t(5) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).userMessage).toContain('cloudwatch:GetMetricData');
  });
});
