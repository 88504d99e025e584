/** Flag values as people type them: durations (`90m`, `24h`, `7d`) and bounded whole numbers. */

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The most a duration may reach back: S3 request metrics and listings are not useful past this. */
const MAX_DURATION_MS = 90 * 86_400_000;

/** Parses `90m`, `24h` or `7d` into milliseconds; `undefined` for anything else (zero included). */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([mhd])$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]!;
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** Parses a whole number within `[min, max]`; `undefined` for anything else. */
export function parseIntInRange(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,9}$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : undefined;
}

/** A flag value as a string, or `undefined` when absent or boolean. */
export function stringFlag(flags: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}
