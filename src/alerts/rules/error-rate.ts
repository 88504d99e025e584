import { judgeStreak, newestArrived, periodsEndingAt } from '../judge.js';
import { ruleSetting, valuesByStart, type BucketRule } from './rule.js';

export interface ErrorRateSettings {
  ratio: number;
  forMinutes: number;
  minRequests: number;
}

const SPARK_PERIODS = 12;

/** `error-rate`: (4xx + 5xx) / requests over the `for` window, with enough requests to mean something. */
export const errorRateRule: BucketRule<ErrorRateSettings> = {
  name: 'error-rate',
  scope: 'bucket',
  severity: 'critical',
  repeats: true,
  settings: (config, bucket) => ruleSetting(config, bucket, 'error-rate') || null,
  // One period is the whole `for` window: CloudWatch sums it, and the minimum applies to it.
  requestNeeds: (s) => ['AllRequests', '4xxErrors', '5xxErrors'].map((metric) => ({ metric, stat: 'Sum' as const, periodSeconds: s.forMinutes * 60 })),
  evaluate({ settings: s, end, settledBy, requestPoints }) {
    const periodSeconds = s.forMinutes * 60;
    const [all, e4, e5] = this.requestNeeds(s).map((need) => valuesByStart(requestPoints(need)));
    const rateAt = (start: number): number | null => {
      const requests = all!(start);
      if (requests === null || requests < s.minRequests || requests === 0) return null;
      return ((e4!(start) ?? 0) + (e5!(start) ?? 0)) / requests;
    };
    // A period with too few requests has arrived (it is judged not breaching); one without AllRequests may not have.
    const periods = periodsEndingAt(end, periodSeconds, SPARK_PERIODS, rateAt, (rate) => rate > s.ratio, {
      ...(settledBy ? { settledBy } : {}),
      arrived: (start) => all!(start) !== null,
    });
    const judged = judgeStreak(periods, 1);
    const value = newestArrived(periods).value;
    return {
      ...judged,
      value,
      threshold: s.ratio,
      finding: { rule: 'error-rate', rate: value, threshold: s.ratio, forMinutes: s.forMinutes, minRequests: s.minRequests },
      recent: periods.map((p) => p.value),
      hasData: periods.some((p) => p.value !== null),
    };
  },
};
