import { describe, expect, it } from 'vitest';
import { parseDuration, parseIntInRange } from '../../../src/commands/values.js';
import { tokenize } from '../../../src/commands/tokenize.js';

describe('parseDuration', () => {
  it('reads minutes, hours and days', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('24h')).toBe(24 * 3_600_000);
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
  });

  it('refuses zero, more than 90 days, other units and noise', () => {
    for (const text of ['0m', '91d', '2w', '1.5h', 'h', '', '-1h', '24 h', '1e3m']) expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseIntInRange', () => {
  it('reads whole numbers within the range only', () => {
    expect(parseIntInRange('1', 1, 100)).toBe(1);
    expect(parseIntInRange('100', 1, 100)).toBe(100);
    for (const text of ['0', '101', '-1', '1.0', '0x10', '', ' ', '1e2']) expect(parseIntInRange(text, 1, 100)).toBeUndefined();
  });
});

describe('tokenize', () => {
  it('splits on any whitespace and keeps quoted text whole', () => {
    expect(tokenize('  a\tb\n"c d" \'e f\' g"h i"j  ')).toEqual(['a', 'b', 'c d', 'e f', 'gh ij']);
  });

  it('keeps an empty quoted word', () => {
    expect(tokenize('a "" b')).toEqual(['a', '', 'b']);
  });
});
