/** Which metrics a tick needs, and how its buckets split into jobs that each fill GetMetricData calls. */
import type { MetricQuery } from '../aws/ports.js';
import type { Config } from '../config/load.js';
import type { BucketConfig } from '../config/schema.js';
import { MAX_QUERIES_PER_CALL } from '../aws/cloudwatch-metrics.js';
import { S3_NAMESPACE } from '../reports/s3-metrics.js';
import type { BucketRule, RequestMetricNeed } from './rules/index.js';

/** A request metric of one bucket, named independently of any one call's query ids. */
export interface RequestSignal extends RequestMetricNeed {
  bucket: string;
  filterId: string;
}

/** The key of a signal in the series cache and in rule lookups. */
export function signalKey(s: Pick<RequestSignal, 'bucket' | 'filterId' | 'metric' | 'stat' | 'periodSeconds'>): string {
  return `${s.bucket}|${s.filterId}|${s.metric}|${s.stat}|${s.periodSeconds}`;
}

/** The rules that apply to a bucket, each with its settings. */
export function applicableRules(config: Pick<Config, 'alerts' | 'budget'>, bucket: BucketConfig, rules: readonly BucketRule[]): { rule: BucketRule; settings: unknown }[] {
  return rules.flatMap((rule) => {
    const settings = rule.settings(config, bucket);
    return settings === null ? [] : [{ rule, settings }];
  });
}

/** The distinct request metrics a bucket's rules read. */
export function bucketSignals(config: Pick<Config, 'alerts' | 'budget'>, bucket: BucketConfig, rules: readonly BucketRule[]): RequestSignal[] {
  const byKey = new Map<string, RequestSignal>();
  for (const { rule, settings } of applicableRules(config, bucket, rules)) {
    for (const need of rule.requestNeeds(settings)) {
      const signal = { ...need, bucket: bucket.name, filterId: bucket.requestMetricsFilterId };
      byKey.set(signalKey(signal), signal);
    }
  }
  return [...byKey.values()];
}

/** A GetMetricData query for a signal, with an id unique within its call. */
export function signalQuery(signal: RequestSignal, id: string): MetricQuery {
  return {
    id,
    namespace: S3_NAMESPACE,
    metricName: signal.metric,
    dimensions: [
      { name: 'BucketName', value: signal.bucket },
      { name: 'FilterId', value: signal.filterId },
    ],
    stat: signal.stat,
    periodSeconds: signal.periodSeconds,
  };
}

/**
 * Splits buckets into jobs: each job holds buckets of one account and configured region (a
 * GetMetricData call reads one account in one region), its request metrics fit one call (500), and
 * no job holds more than `bucketsPerJob`; so a tick makes as few calls as the metrics allow: the
 * sum over accounts and regions of ceil(metrics ÷ 500). Buckets whose region is not configured
 * form their own jobs, split by region when their metrics are read.
 */
export function planChunks(config: Pick<Config, 'alerts' | 'budget' | 'buckets'>, rules: readonly BucketRule[], maxQueries = MAX_QUERIES_PER_CALL): BucketConfig[][] {
  const chunks: BucketConfig[][] = [];
  let current: BucketConfig[] = [];
  let queries = 0;
  let group: string | undefined;
  for (const bucket of byAccountAndRegion(config.buckets)) {
    const n = bucketSignals(config, bucket, rules).length;
    const bucketGroup = `${bucket.account ?? ''}/${bucket.region ?? ''}`;
    if (current.length > 0 && (bucketGroup !== group || queries + n > maxQueries || current.length >= config.alerts.bucketsPerJob)) {
      chunks.push(current);
      current = [];
      queries = 0;
    }
    current.push(bucket);
    queries += n;
    group = bucketGroup;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The buckets with those of one account and configured region together, groups in the order they first appear. */
function byAccountAndRegion(buckets: readonly BucketConfig[]): BucketConfig[] {
  const groups = new Map<string, BucketConfig[]>();
  for (const bucket of buckets) {
    const key = `${bucket.account ?? ''}/${bucket.region ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(bucket);
    else groups.set(key, [bucket]);
  }
  return [...groups.values()].flat();
}
