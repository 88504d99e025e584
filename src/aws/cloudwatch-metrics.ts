import { paginateGetMetricData, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { withCallDeadline, type CallOptions, type SdkCallOptions } from './deadlines.js';
import { toUserFacingError } from './errors.js';
import type { MetricPoint, MetricQuery, MetricSeries, MetricsPort } from './ports.js';

/** GetMetricData takes at most 500 queries a call. */
export const MAX_QUERIES_PER_CALL = 500;

/** Reads metrics through GetMetricData, 500 queries a call, following NextToken. */
export class CloudWatchMetrics implements MetricsPort {
  constructor(private readonly cloudWatch: CloudWatchClient) {}

  /** Every query's datapoints in the range, oldest first, keyed by query id. */
  async getMetricData(queries: MetricQuery[], range: { start: Date; end: Date }, options: CallOptions = {}): Promise<Map<string, MetricSeries>> {
    const series = new Map<string, MetricSeries>(queries.map((q) => [q.id, { id: q.id, points: [] }]));
    const chunks: MetricQuery[][] = [];
    for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL) chunks.push(queries.slice(i, i + MAX_QUERIES_PER_CALL));
    const target = { service: 'CloudWatch', operation: 'GetMetricData' } as const;
    await withCallDeadline(
      target,
      options,
      (sdk) => Promise.all(chunks.map((chunk) => this.readChunk(chunk, range, series, sdk))),
      (error) => toUserFacingError(error, target),
    );
    for (const one of series.values()) one.points.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
    return series;
  }

  private async readChunk(chunk: MetricQuery[], range: { start: Date; end: Date }, series: Map<string, MetricSeries>, sdk: SdkCallOptions): Promise<void> {
    const pages = paginateGetMetricData(
      { client: this.cloudWatch },
      {
        MetricDataQueries: chunk.map(toSdkQuery),
        StartTime: range.start,
        EndTime: range.end,
        ScanBy: 'TimestampAscending',
      },
      sdk,
    );
    for await (const page of pages) {
      for (const result of page.MetricDataResults ?? []) {
        const target = result.Id ? series.get(result.Id) : undefined;
        if (!target) continue;
        const timestamps = result.Timestamps ?? [];
        const values = result.Values ?? [];
        const count = Math.min(timestamps.length, values.length);
        for (let i = 0; i < count; i += 1) {
          const point: MetricPoint = { timestamp: timestamps[i]!, value: values[i]! };
          target.points.push(point);
        }
      }
    }
  }
}

function toSdkQuery(query: MetricQuery): MetricDataQuery {
  return {
    Id: query.id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: query.namespace,
        MetricName: query.metricName,
        Dimensions: query.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
      },
      Period: query.periodSeconds,
      Stat: query.stat,
    },
  };
}
