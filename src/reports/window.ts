/** Time windows written as `30m`, `1h`, `24h`, `7d`, and the CloudWatch period that suits each. */

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `30m`, `1h`, `24h`, `7d` into milliseconds; `null` for anything else. */
export function parseWindow(text: string): number | null {
  const m = /^\s*(\d{1,4})\s*([mhd])\s*$/i.exec(text);
  if (!m) return null;
  const ms = Number(m[1]) * (UNIT_MS[(m[2] ?? '').toLowerCase()] ?? 0);
  return ms > 0 ? ms : null;
}

/** Writes a window back as its shortest name: `1h`, `7d`, `90m`. */
export function windowName(ms: number): string {
  // A day reads as 24h, as the commands write it; longer whole-day windows in days.
  if (ms % UNIT_MS.d! === 0 && ms > UNIT_MS.d!) return `${ms / UNIT_MS.d!}d`;
  if (ms % UNIT_MS.h! === 0) return `${ms / UNIT_MS.h!}h`;
  return `${Math.round(ms / UNIT_MS.m!)}m`;
}

const PERIODS = [60, 300, 900, 3600, 21_600, 86_400] as const;
/** A sparkline reads well up to about 60 points; CloudWatch allows 1,440 a series. */
export const MAX_POINTS = 60;

/** The smallest CloudWatch period that draws `windowMs` in at most 60 points: 1 h → 1 min, 24 h → 1 h, 7 d → 6 h. */
export function periodForWindow(windowMs: number): number {
  const seconds = windowMs / 1000;
  return PERIODS.find((p) => seconds / p <= MAX_POINTS) ?? PERIODS[PERIODS.length - 1]!;
}
