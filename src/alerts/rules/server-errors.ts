import { judgeStreak, newestArrived, periodsEndingAt } from '../judge.js';
import { ruleSetting, valuesByStart, type BucketRule } from './rule.js';

export interface ServerErrorsSettings {
  count: number;
  periodMinutes: number;
  periods: number;
}

const SPARK_PERIODS = 12;

/** `server-errors`: 5xx responses per period above a count in consecutive periods. */
export const serverErrorsRule: BucketRule<ServerErrorsSettings> = {
  name: 'server-errors',
  scope: 'bucket',
  severity: 'critical',
  repeats: true,
  settings: (config, bucket) => ruleSetting(config, bucket, 'server-errors') || null,
  requestNeeds: (s) => [{ metric: '5xxErrors', stat: 'Sum', periodSeconds: s.periodMinutes * 60 }],
  evaluate({ settings: s, end, settledBy, requestPoints }) {
    const points = requestPoints(this.requestNeeds(s)[0]!);
    const periods = periodsEndingAt(end, s.periodMinutes * 60, Math.max(SPARK_PERIODS, s.periods), valuesByStart(points), (n) => n > s.count, settledBy ? { settledBy } : {});
    const judged = judgeStreak(periods, s.periods);
    const value = newestArrived(periods).value;
    return {
      ...judged,
      value,
      threshold: s.count,
      finding: { rule: 'server-errors', count: value, threshold: s.count, periodMinutes: s.periodMinutes, periods: s.periods },
      recent: periods.map((p) => p.value ?? 0),
      hasData: periods.some((p) => p.value !== null),
    };
  },
};
