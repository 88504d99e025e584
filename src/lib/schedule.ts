/**
 * When a daily local time next occurs in an IANA time zone, with daylight saving handled the way
 * an operator expects: a local time skipped by spring-forward runs at the first instant after the
 * gap; a local time repeated by fall-back runs once, at its first occurrence.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A local wall-clock time written `HH:MM`, 24-hour. */
export interface LocalTime {
  hour: number;
  minute: number;
}

/** Parses `HH:MM` (24-hour); throws on anything else, since the configuration has already checked it. */
export function parseLocalTime(text: string): LocalTime {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a time of day; write it as HH:MM, 24-hour`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** Reads the wall-clock time of instants in one zone, as "naive" UTC milliseconds. */
export class ZoneClock {
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** The local wall time at `instantMs`, expressed as if it were UTC (whole seconds). */
  wallMs(instantMs: number): number {
    const parts: Record<string, number> = {};
    for (const p of this.format.formatToParts(new Date(instantMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  }

  /** The local calendar day of an instant, `YYYY-MM-DD`. */
  localDate(instantMs: number): string {
    return new Date(this.wallMs(instantMs)).toISOString().slice(0, 10);
  }

  /** Offset from UTC at an instant, in milliseconds (local = UTC + offset). */
  offsetMs(instantMs: number): number {
    return this.wallMs(instantMs) - Math.floor(instantMs / 1000) * 1000;
  }
}

/**
 * The instant a wall time (naive ms) happens: its first occurrence when fall-back repeats it,
 * and the first instant after the gap when spring-forward skips it.
 */
export function instantOfWallTime(clock: ZoneClock, wall: number): number {
  // A zone's offset near this wall time is one of the offsets a day either side of it.
  const offsets = [...new Set([-DAY_MS, 0, DAY_MS].map((d) => clock.offsetMs(wall + d)))];
  const matches = offsets.map((o) => wall - o).filter((t) => clock.wallMs(t) === wall);
  if (matches.length > 0) return Math.min(...matches);
  // Skipped: the gap lies between the candidates; find the first instant whose wall time is at
  // or past the target. Wall time only moves forward across a gap, so a binary search holds.
  const candidates = offsets.map((o) => wall - o);
  let low = Math.min(...candidates);
  let high = Math.max(...candidates);
  while (high - low > 1000) {
    const mid = low + Math.floor((high - low) / 2000) * 1000;
    if (clock.wallMs(mid) >= wall) high = mid;
    else low = mid;
  }
  return high;
}

/** The instant the daily time runs on one local day (`YYYY-MM-DD`). */
export function runOnLocalDay(clock: ZoneClock, day: string, time: LocalTime): number {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  return instantOfWallTime(clock, midnight + (time.hour * 60 + time.minute) * MINUTE_MS);
}

function addLocalDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The next instant strictly after `now` at which local time `HH:MM` occurs in `timeZone`. */
export function nextDigestRun(now: Date, time: string, timeZone: string): Date {
  const clock = new ZoneClock(timeZone);
  const at = parseLocalTime(time);
  const today = clock.localDate(now.getTime());
  for (let d = 0; d <= 2; d += 1) {
    const run = runOnLocalDay(clock, addLocalDays(today, d), at);
    if (run > now.getTime()) return new Date(run);
  }
  // Unreachable: every local day has one run, so one of three consecutive days is in the future.
  throw new Error(`no run of ${time} in ${timeZone} after ${now.toISOString()}`);
}

/** The latest run at or before `now`: the one a tick at `now` belongs to. */
export function previousDigestRun(now: Date, time: string, timeZone: string): Date {
  const clock = new ZoneClock(timeZone);
  const at = parseLocalTime(time);
  const today = clock.localDate(now.getTime());
  for (let d = 0; d >= -2; d -= 1) {
    const run = runOnLocalDay(clock, addLocalDays(today, d), at);
    if (run <= now.getTime()) return new Date(run);
  }
  throw new Error(`no run of ${time} in ${timeZone} before ${now.toISOString()}`);
}

/**
 * The local date (`YYYY-MM-DD`) of the digest that is due at `now`: the day of the latest run at
 * or before it. Every worker computes the same slot for one day, so a job id made from it
 * (see `digestJobId`) makes the digest run once per day however many workers enqueue it.
 */
export function digestSlot(now: Date, time: string, timeZone: string): string {
  const run = previousDigestRun(now, time, timeZone);
  return new ZoneClock(timeZone).localDate(run.getTime());
}
