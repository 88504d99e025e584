/** Tick sources: node-cron in production (every process ticks; the job id keeps one job per slot). */
import cron from 'node-cron';

/** Calls `onTick` with each tick's slot; returns how to stop. */
export type TickSource = (onTick: (slot: Date) => void) => { stop(): void };

/** A node-cron tick source for a cron expression (5 or 6 fields) in a time zone; `setting` names it in errors. */
export function cronTicks(expression: string, timezone: string, setting = 'schedules.alertEvaluation'): TickSource {
  if (!cron.validate(expression)) throw new Error(`"${expression}" is not a cron expression (${setting})`);
  return (onTick) => {
    const task = cron.schedule(
      expression,
      (context) => {
        // The scheduled time, to the second, is the same in every process: it names the slot.
        onTick(new Date(Math.floor(context.date.getTime() / 1000) * 1000));
      },
      { timezone, name: 's3-chatops-alert-tick', noOverlap: false },
    );
    return {
      stop: () => {
        void task.stop();
      },
    };
  };
}
