/**
 * The shape of a rule: adding one is one file implementing this and one line in `rules/index.ts`,
 * and its finding's type and words in `message/alert-findings.ts` and `message/alert-wording.ts`.
 */
import type { RequestLine } from '../../access-logs/counts.js';
import type { BucketChange } from '../../cloudtrail/bucket-changes.js';
import type { MetricPoint, MetricQuery } from '../../aws/ports.js';
import type { AlertThresholds, BucketConfig } from '../../config/schema.js';
import type { Config } from '../../config/load.js';
import type { Severity } from '../../message/model.js';
import type { CostsFigures } from '../../reports/costs.js';
import type { RuleName, Verdict } from '../types.js';

/** A request metric of the bucket's request-metrics filter that a rule reads. */
export interface RequestMetricNeed {
  metric: string;
  stat: MetricQuery['stat'];
  periodSeconds: number;
}

/** A bucket's access-log lines over a rule's window, or why they could not be read. */
export type AccessLogInput =
  | {
      ok: true;
      start: Date;
      end: Date;
      /** Requests answered 4xx or 5xx in the window, oldest first. */
      errors: RequestLine[];
      /** The newest record in the log objects read: how fresh the log is. */
      newestRecordAt: Date | null;
    }
  | { ok: false; reason: string };

/** A bucket's configuration changes from CloudTrail over a rule's window (newest first), or why they could not be read. */
export type TrailInput = { ok: true; start: Date; end: Date; changes: BucketChange[] } | { ok: false; reason: string };

/** The data a bucket rule judges, already fetched for the whole tick. */
export interface BucketRuleInput<S> {
  bucket: BucketConfig;
  settings: S;
  /** The end of the newest evaluation period to judge: the tick's time less `alerts.evaluationDelayMinutes`. */
  end: Date;
  /**
   * Periods ending after this that have no datapoint yet may still be arriving: they neither
   * breach nor break a run. Left out (as in tests of one verdict), a missing period is not breaching.
   */
  settledBy?: Date;
  /** Datapoints of one request metric, oldest first (empty when there are none). */
  requestPoints(need: RequestMetricNeed): MetricPoint[];
  /** Daily BucketSizeBytes summed over every storage type, oldest first. */
  storageBytes: MetricPoint[];
  /** Whether the bucket has the request-metrics configuration it reads; `null` when unknown. */
  requestMetricsConfigured: boolean | null;
  /** The bucket's access log over the rule's window, for rules with `accessLogMinutes`; absent when not gathered. */
  accessLog?: AccessLogInput;
  /** The bucket's configuration changes, for rules with `trailHours`; absent when not gathered. */
  trail?: TrailInput;
}

/** A rule about one bucket, judged from CloudWatch metrics. */
export interface BucketRule<S = unknown> {
  name: RuleName;
  scope: 'bucket';
  severity: Severity;
  /** Whether reminders repeat while it fires (a one-off warning does not). */
  repeats: boolean;
  /** This bucket's settings for the rule, or `null` when it does not apply (switched off, no quota…). */
  settings(config: Pick<Config, 'alerts' | 'budget'>, bucket: BucketConfig): S | null;
  /** The request metrics it reads; storage metrics and facts come with every bucket. */
  requestNeeds(settings: S): RequestMetricNeed[];
  /** How many minutes of the bucket's server access log it reads; left out by rules that read none. */
  accessLogMinutes?(settings: S): number;
  /** How many hours of the bucket's CloudTrail management events it reads; left out by rules that read none. */
  trailHours?(settings: S): number;
  evaluate(input: BucketRuleInput<S>): Verdict;
}

/** A rule about the whole account, judged from Cost Explorer figures. */
export interface FleetRule<S = unknown> {
  name: RuleName;
  scope: 'fleet';
  severity: Severity;
  repeats: boolean;
  settings(config: Pick<Config, 'alerts' | 'budget'>): S | null;
  evaluate(costs: CostsFigures, settings: S): Verdict;
}

export type AlertRule = BucketRule<any> | FleetRule<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A bucket's setting for one rule: its own override, else the fleet's; `false` switches it off. */
export function ruleSetting<K extends keyof AlertThresholds>(config: Pick<Config, 'alerts'>, bucket: BucketConfig | undefined, rule: K): AlertThresholds[K] {
  const own = (bucket?.thresholds as Partial<AlertThresholds> | undefined)?.[rule];
  return own === undefined ? config.alerts.thresholds[rule] : own;
}

/** A value per period start, from a series, for `periodsEndingAt`. */
export function valuesByStart(points: readonly MetricPoint[]): (startMs: number) => number | null {
  const map = new Map(points.map((p) => [p.timestamp.getTime(), p.value]));
  return (start) => map.get(start) ?? null;
}
