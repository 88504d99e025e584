/**
 * Formatting of figures for people: every report formats through here so Slack, the terminal and
 * the golden files agree. Times are UTC; sizes use decimal units, as the S3 console shows them.
 */

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;
const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `1234567` → `1.2 MB` (decimal units, one decimal past bytes). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  if (value < 1000) return `${sign}${Math.round(value)} B`;
  let unit = 0;
  // Compare the rounded value so 999,960 B reads 1.0 MB rather than 1000.0 KB.
  while (unit < BYTE_UNITS.length - 1 && Number(value.toFixed(1)) >= 1000) {
    value /= 1000;
    unit += 1;
  }
  return `${sign}${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** A change in size with its sign: `+1.2 GB`, `-300.0 MB`, `no change`. */
export function formatBytesChange(delta: number): string {
  if (delta === 0) return 'no change';
  return delta > 0 ? `+${formatBytes(delta)}` : formatBytes(delta);
}

/** `12345` → `12,345`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return counts.format(Math.round(n));
}

/** A change in a count with its sign: `+1,204`, `-3`, `no change`. */
export function formatCountChange(delta: number): string {
  if (delta === 0) return 'no change';
  return delta > 0 ? `+${formatCount(delta)}` : formatCount(delta);
}

/** A ratio as a percentage: `0.0123` → `1.2%`; tiny non-zero ratios read `<0.1%`. */
export function formatPercent(ratio: number, digits = 1): string {
  if (!Number.isFinite(ratio)) return '—';
  if (ratio === 0) return '0%';
  const pct = ratio * 100;
  const smallest = 10 ** -digits;
  if (Math.abs(pct) < smallest) return `<${smallest.toFixed(digits)}%`;
  return `${pct.toFixed(digits)}%`;
}

/** A latency or duration in milliseconds: `85 ms`, `1.2 s`. */
export function formatMillis(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A span of time: `45 s`, `5 min`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** How long ago (or until) a time is, from `now`: `just now`, `5 min ago`, `in 2 h`. */
export function formatRelative(then: Date, now: Date): string {
  const diff = now.getTime() - then.getTime();
  if (Math.abs(diff) < 60_000) return 'just now';
  const span = formatDuration(diff).replace(/ \d+ (min|h)$/, '');
  return diff > 0 ? `${span} ago` : `in ${span}`;
}

/** An absolute time in UTC, to the minute: `2026-11-26 16:36 UTC`. */
export function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A UTC calendar day: `2026-11-26`. */
export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Money: `$12.34` for USD, `12.34 EUR` otherwise. */
export function formatMoney(amount: number, currency = 'USD'): string {
  if (!Number.isFinite(amount)) return '—';
  const fixed = Math.abs(amount).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = amount < 0 ? '-' : '';
  return currency === 'USD' ? `${sign}$${fixed}` : `${sign}${fixed} ${currency}`;
}

/** `1` → `1 object`, `3` → `3 objects` (with the count formatted). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Shortens text to `max` characters, marking the cut with `…`. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
