/** How often a cron schedule runs, for the metrics that say when a scheduled run is overdue. */
import cron from 'node-cron';

/** Runs looked at: enough to see a weekend gap in a weekday schedule. */
const RUNS = 60;

/**
 * The longest gap, in seconds, between consecutive runs of `expression` in `timezone` among its
 * next runs; `null` when the expression is not valid or runs fewer than twice.
 */
export function longestGapSeconds(expression: string, timezone: string): number | null {
  if (!cron.validate(expression)) return null;
  const task = cron.createTask(expression, () => undefined, { timezone });
  try {
    const runs = task.getNextRuns(RUNS);
    let gap = 0;
    for (let i = 1; i < runs.length; i += 1) gap = Math.max(gap, runs[i]!.getTime() - runs[i - 1]!.getTime());
    return runs.length >= 2 ? gap / 1000 : null;
  } finally {
    void task.destroy();
  }
}
