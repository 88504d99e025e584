import { judgeStreak, newestArrived, periodsEndingAt } from '../judge.js';
import { ruleSetting, valuesByStart, type BucketRule } from './rule.js';

export interface LatencySettings {
  averageMs: number;
  forMinutes: number;
}

const SPARK_PERIODS = 30;

/** `latency`: TotalRequestLatency's per-minute average above a limit for `for` minutes in a row. */
export const latencyRule: BucketRule<LatencySettings> = {
  name: 'latency',
  scope: 'bucket',
  severity: 'warning',
  repeats: true,
  settings: (config, bucket) => ruleSetting(config, bucket, 'latency') || null,
  requestNeeds: () => [{ metric: 'TotalRequestLatency', stat: 'Average', periodSeconds: 60 }],
  evaluate({ settings: s, end, settledBy, requestPoints }) {
    const points = requestPoints(this.requestNeeds(s)[0]!);
    const periods = periodsEndingAt(end, 60, Math.max(SPARK_PERIODS, s.forMinutes), valuesByStart(points), (ms) => ms > s.averageMs, settledBy ? { settledBy } : {});
    const judged = judgeStreak(periods, s.forMinutes);
    const value = newestArrived(periods).value;
    return {
      ...judged,
      value,
      threshold: s.averageMs,
      finding: { rule: 'latency', averageMs: value, thresholdMs: s.averageMs, forMinutes: s.forMinutes },
      recent: periods.map((p) => p.value),
      hasData: periods.some((p) => p.value !== null),
    };
  },
};
