import { ruleSetting, type BucketRule } from './rule.js';

/** Whether a bucket has a rule that reads request metrics. */
export interface NoRequestMetricsSettings {
  filterId: string;
}

/** `no-request-metrics`: a bucket with error or latency rules but no request-metrics configuration; a one-off warning. */
export const noRequestMetricsRule: BucketRule<NoRequestMetricsSettings> = {
  name: 'no-request-metrics',
  scope: 'bucket',
  severity: 'warning',
  repeats: false,
  settings(config, bucket) {
    if (!ruleSetting(config, bucket, 'no-request-metrics')) return null;
    const readers = (['error-rate', 'server-errors', 'latency'] as const).some((rule) => ruleSetting(config, bucket, rule) !== false);
    return readers ? { filterId: bucket.requestMetricsFilterId } : null;
  },
  requestNeeds: () => [],
  evaluate({ settings: s, bucket, end, requestMetricsConfigured }) {
    const missing = requestMetricsConfigured === false;
    return {
      status: missing ? 'firing' : 'ok',
      breachingSince: missing ? end : null,
      value: missing ? 1 : 0,
      threshold: 0,
      finding: { rule: 'no-request-metrics', missing, bucket: bucket.name, filterId: s.filterId },
      recent: [],
      hasData: requestMetricsConfigured !== null,
    };
  },
};
