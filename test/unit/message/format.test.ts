import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatBytesChange,
  formatCount,
  formatCountChange,
  formatDate,
  formatDuration,
  formatMillis,
  formatMoney,
  formatPercent,
  formatRelative,
  formatTimestamp,
  plural,
} from '../../../src/message/format.js';

describe('formatBytes', () => {
  it('uses decimal units as the S3 console does', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.0 KB');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
    expect(formatBytes(1.2e9)).toBe('1.2 GB');
    expect(formatBytes(500e9)).toBe('500.0 GB');
    expect(formatBytes(3.4e12)).toBe('3.4 TB');
  });
  it('rolls over to the next unit rather than printing 1000.0', () => {
    expect(formatBytes(999_960)).toBe('1.0 MB');
  });
  it('keeps the sign of negative sizes and says — for non-numbers', () => {
    expect(formatBytes(-2_500_000)).toBe('-2.5 MB');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
  it('writes changes with their sign', () => {
    expect(formatBytesChange(30e6)).toBe('+30.0 MB');
    expect(formatBytesChange(-30e6)).toBe('-30.0 MB');
    expect(formatBytesChange(0)).toBe('no change');
  });
});

describe('counts, percentages and money', () => {
  it('groups thousands', () => {
    expect(formatCount(12_345)).toBe('12,345');
    expect(formatCount(1_234_567.4)).toBe('1,234,567');
    expect(formatCountChange(1204)).toBe('+1,204');
    expect(formatCountChange(-3)).toBe('-3');
    expect(plural(1, 'object')).toBe('1 object');
    expect(plural(2000, 'object')).toBe('2,000 objects');
  });
  it('formats ratios as percentages, marking tiny non-zero ones', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.0123)).toBe('1.2%');
    expect(formatPercent(0.5, 0)).toBe('50%');
    expect(formatPercent(0.000_01)).toBe('<0.1%');
  });
  it('formats money in dollars or with the currency code', () => {
    expect(formatMoney(1234.5)).toBe('$1,234.50');
    expect(formatMoney(12.3, 'EUR')).toBe('12.30 EUR');
    expect(formatMoney(-1)).toBe('-$1.00');
  });
});

describe('times', () => {
  const now = new Date('2026-11-26T16:36:27Z');
  it('formats durations and latencies', () => {
    expect(formatMillis(85.4)).toBe('85 ms');
    expect(formatMillis(1234)).toBe('1.2 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(5 * 60_000)).toBe('5 min');
    expect(formatDuration(125 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3600_000)).toBe('1 h');
    expect(formatDuration(76 * 3600_000)).toBe('3 d 4 h');
  });
  it('says how long ago or until, coarsely', () => {
    expect(formatRelative(new Date(now.getTime() - 20_000), now)).toBe('just now');
    expect(formatRelative(new Date(now.getTime() - 5 * 60_000), now)).toBe('5 min ago');
    expect(formatRelative(new Date(now.getTime() - 125 * 60_000), now)).toBe('2 h ago');
    expect(formatRelative(new Date(now.getTime() + 3 * 86_400_000), now)).toBe('in 3 d');
  });
  it('writes absolute times in UTC', () => {
    expect(formatTimestamp(now)).toBe('2026-11-26 16:36 UTC');
    expect(formatDate(now)).toBe('2026-11-26');
  });
});
