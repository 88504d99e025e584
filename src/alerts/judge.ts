/** Judges a rule's `for` from its datapoints, as CloudWatch alarms judge evaluation periods. */
import type { Verdict } from './types.js';

/** One evaluation period: its start, and whether it breached (`null`: no datapoint). */
export interface PeriodJudgement {
  start: Date;
  value: number | null;
  breaching: boolean;
}

/**
 * The periods ending at `end`, oldest first, `count` of them, each `periodSeconds` long, filled
 * from `values` (a map from period start ms to value); missing periods read as not breaching.
 */
export function periodsEndingAt(end: Date, periodSeconds: number, count: number, valueAt: (startMs: number) => number | null, breaches: (value: number, startMs: number) => boolean): PeriodJudgement[] {
  const step = periodSeconds * 1000;
  const last = Math.floor(end.getTime() / step) * step - step;
  const periods: PeriodJudgement[] = [];
  for (let i = count - 1; i >= 0; i -= 1) {
    const start = last - i * step;
    const value = valueAt(start);
    periods.push({ start: new Date(start), value, breaching: value !== null && breaches(value, start) });
  }
  return periods;
}

/**
 * The verdict of a run of periods: firing once the newest `forPeriods` all breach, pending while
 * fewer do, ok otherwise; `breachingSince` is the first period of the current run.
 */
export function judgeStreak(periods: readonly PeriodJudgement[], forPeriods: number): Pick<Verdict, 'status' | 'breachingSince'> {
  let run = 0;
  for (let i = periods.length - 1; i >= 0 && periods[i]!.breaching; i -= 1) run += 1;
  if (run === 0) return { status: 'ok', breachingSince: null };
  const since = periods[periods.length - run]!.start;
  return { status: run >= forPeriods ? 'firing' : 'pending', breachingSince: since };
}
