/** The digest's tick: a timer to the next local digest time (DST-aware, from `nextDigestRun`), in every process. */
import { nextDigestRun } from '../lib/schedule.js';
import type { TickSource } from './tick-source.js';

/** Ticks at `time` local in `timeZone` every day; the job id from the slot keeps one digest a day. */
export function digestTicks(time: string, timeZone: string, now: () => Date = () => new Date()): TickSource {
  return (onTick) => {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      const next = nextDigestRun(now(), time, timeZone);
      // Timers cap at about 24.8 days; a day is far below.
      timer = setTimeout(() => {
        onTick(next);
        arm();
      }, Math.max(0, next.getTime() - now().getTime()));
      timer.unref?.();
    };
    arm();
    return { stop: () => clearTimeout(timer) };
  };
}
