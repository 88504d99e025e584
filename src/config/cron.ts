/** Cron settings, judged by node-cron, the library that runs them, so what loads is what runs. */
import cron from 'node-cron';

/** Why `expression` cannot be a schedule that runs at most once a minute; `null` when it can. */
export function cronProblem(expression: string): string | null {
  const checked = cron.validateDetailed(expression);
  if (!checked.valid || !checked.fields) {
    const reason = checked.errors.map((e) => e.message).join('; ') || 'not understood';
    return `"${expression}" is not a cron expression (${reason}); write five fields, minute hour day-of-month month day-of-week, e.g. "*/5 * * * *"`;
  }
  // Five fields always fire at second 0, so only a seconds field can make a schedule run more than once a minute.
  const perMinute = checked.fields.second.length;
  if (perMinute > 1) {
    return `"${expression}" runs ${perMinute} times a minute; run it at most once a minute (e.g. "* * * * *"): each run calls AWS and costs money`;
  }
  return null;
}
