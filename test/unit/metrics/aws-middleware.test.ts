import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { GetBucketPolicyCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { awsCallOutcome, instrumentAwsClient } from '../../../src/metrics/aws-middleware.js';
import { botMetrics } from '../../../src/metrics/definitions.js';
import { createMetricsRegistry } from '../../../src/metrics/registry.js';
import { parseExposition, valueOf } from './exposition.js';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** Answers every command in-process, inside (after) the metrics middleware. */
function answerWith(client: { middlewareStack: { add: (...args: never[]) => void } }, answer: (input: unknown) => unknown): void {
  const middleware = (() => async (args: { input: unknown }) => ({ output: { $metadata: {}, ...(answer(args.input) as object) }, response: {} })) as never;
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'answer', priority: 'low' } as never);
}

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

describe('instrumentAwsClient', () => {
  it('counts calls by service, operation and outcome, once per call', async () => {
    const metrics = botMetrics(createMetricsRegistry({ defaultMetrics: false }));
    const s3 = new S3Client({ region: 'us-east-1', credentials });
    instrumentAwsClient(metrics)(s3);
    answerWith(s3, (input) => {
      if ((input as { Bucket: string }).Bucket === 'denied') throw s3Error('AccessDenied', 403);
      return { Contents: [] };
    });
    await s3.send(new ListObjectsV2Command({ Bucket: 'ok' }));
    await s3.send(new ListObjectsV2Command({ Bucket: 'ok' }));
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'denied' }))).rejects.toThrow();
    const m = parseExposition(await metrics.registry.metrics());
    expect(valueOf(m, 's3chatops_aws_api_calls_total', { service: 'S3', operation: 'ListObjectsV2', outcome: 'success' })).toBe(2);
    expect(valueOf(m, 's3chatops_aws_api_calls_total', { service: 'S3', operation: 'GetBucketPolicy', outcome: 'client_error' })).toBe(1);
  });

  it('counts the CloudWatch metrics requested and the Cost Explorer requests made', async () => {
    const metrics = botMetrics(createMetricsRegistry({ defaultMetrics: false }));
    const cloudWatch = new CloudWatchClient({ region: 'us-east-1', credentials });
    const costExplorer = new CostExplorerClient({ region: 'us-east-1', credentials });
    for (const client of [cloudWatch, costExplorer]) {
      instrumentAwsClient(metrics)(client);
      answerWith(client, () => ({}));
    }
    const query = (id: string, ReturnData?: boolean) => ({ Id: id, ReturnData, MetricStat: { Metric: { MetricName: 'AllRequests', Namespace: 'AWS/S3' }, Period: 60, Stat: 'Sum' } });
    const range = { StartTime: new Date(0), EndTime: new Date(60_000) };
    await cloudWatch.send(new GetMetricDataCommand({ ...range, MetricDataQueries: [query('a'), query('b'), query('hidden', false)] }));
    await cloudWatch.send(new GetMetricDataCommand({ ...range, MetricDataQueries: [query('c')] }));
    await costExplorer.send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2024-01-01', End: '2024-01-02' }, Granularity: 'DAILY', Metrics: ['UnblendedCost'] }));
    const m = parseExposition(await metrics.registry.metrics());
    expect(valueOf(m, 's3chatops_cloudwatch_metrics_requested_total')).toBe(3);
    expect(valueOf(m, 's3chatops_cost_explorer_requests_total', { operation: 'GetCostAndUsage' })).toBe(1);
    expect(valueOf(m, 's3chatops_aws_api_calls_total', { service: 'CloudWatch', operation: 'GetMetricData', outcome: 'success' })).toBe(2);
  });
});

describe('awsCallOutcome', () => {
  it('sorts errors into a few outcomes', () => {
    expect(awsCallOutcome(s3Error('NoSuchBucket', 404))).toBe('client_error');
    expect(awsCallOutcome(s3Error('InternalError', 500))).toBe('server_error');
    expect(awsCallOutcome(s3Error('SlowDown', 503))).toBe('throttled');
    expect(awsCallOutcome(Object.assign(new Error('x'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }))).toBe('throttled');
    expect(awsCallOutcome(Object.assign(new Error('connect ECONNREFUSED'), { $metadata: {} }))).toBe('network_error');
  });
});
