/** Judges a rule's `for` from its datapoints, as CloudWatch alarms judge evaluation periods. */
import type { Verdict } from './types.js';

/** One evaluation period: its start, and whether it breached (`null`: no datapoint). */
export interface PeriodJudgement {
  start: Date;
  value: number | null;
  breaching: boolean;
  /**
   * True for a period with no datapoint that ended so recently, and after every period that has
   * one, that its datapoint may still be on its way (CloudWatch delivers S3 request metrics minutes
   * late): it neither breaches nor breaks a run.
   */
  late: boolean;
}

export interface PeriodOptions {
  /** Periods ending after this with no datapoint are `late`, not "not breaching"; left out, none are. */
  settledBy?: Date;
  /** Whether a period's datapoint arrived; by default, whether it has a value. */
  arrived?: (startMs: number) => boolean;
}

/**
 * The periods ending at `end`, oldest first, `count` of them, each `periodSeconds` long, filled
 * from `values` (a map from period start ms to value); missing periods read as not breaching,
 * unless they end after `options.settledBy` and after every period that has arrived (then they
 * are `late`).
 */
export function periodsEndingAt(
  end: Date,
  periodSeconds: number,
  count: number,
  valueAt: (startMs: number) => number | null,
  breaches: (value: number, startMs: number) => boolean,
  options: PeriodOptions = {},
): PeriodJudgement[] {
  const step = periodSeconds * 1000;
  const last = Math.floor(end.getTime() / step) * step - step;
  const settledBy = options.settledBy?.getTime() ?? Number.POSITIVE_INFINITY;
  const periods: Array<PeriodJudgement & { arrived: boolean }> = [];
  for (let i = count - 1; i >= 0; i -= 1) {
    const start = last - i * step;
    const value = valueAt(start);
    const arrived = options.arrived ? options.arrived(start) : value !== null;
    periods.push({ start: new Date(start), value, breaching: value !== null && breaches(value, start), late: false, arrived });
  }
  // Only the missing periods after the newest one that arrived can still be on their way: data
  // delivered for a later period shows an earlier gap is a gap (no requests), not a delay.
  let newest = -1;
  periods.forEach((p, i) => {
    if (p.arrived) newest = i;
  });
  return periods.map(({ arrived, ...p }, i) => ({ ...p, late: !arrived && i > newest && p.start.getTime() + step > settledBy }));
}

/**
 * The verdict of a run of periods: firing once the newest `forPeriods` all breach, pending while
 * fewer do, ok otherwise; `breachingSince` is the first period of the current run. Late periods
 * are passed over, as a CloudWatch alarm treating missing data as missing does: a run is neither
 * cut short nor lengthened by data that has not arrived yet.
 */
export function judgeStreak(periods: readonly PeriodJudgement[], forPeriods: number): Pick<Verdict, 'status' | 'breachingSince'> {
  let run = 0;
  let since: Date | null = null;
  for (let i = periods.length - 1; i >= 0; i -= 1) {
    const p = periods[i]!;
    if (p.late) continue;
    if (!p.breaching) break;
    run += 1;
    since = p.start;
  }
  if (run === 0) return { status: 'ok', breachingSince: null };
  return { status: run >= forPeriods ? 'firing' : 'pending', breachingSince: since };
}

/** The newest period whose datapoint has arrived (the one a message quotes), else the newest. */
export function newestArrived(periods: readonly PeriodJudgement[]): PeriodJudgement {
  for (let i = periods.length - 1; i >= 0; i -= 1) if (!periods[i]!.late) return periods[i]!;
  return periods.at(-1)!;
}
