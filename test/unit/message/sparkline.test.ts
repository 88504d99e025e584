import { describe, expect, it } from 'vitest';
import { sparkline } from '../../../src/message/sparkline.js';

describe('sparkline', () => {
  it('draws the lowest value on the lowest bar and the highest on the highest', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 0])).toBe('█▁');
  });
  it('is empty for no values', () => {
    expect(sparkline([])).toBe('');
  });
  it('draws a flat series level: low when all zero, middle otherwise', () => {
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([5, 5])).toBe('▄▄');
  });
  it('leaves a gap for missing points and keeps one character per point', () => {
    const line = sparkline([1, null, 3, undefined, Number.NaN, 2]);
    expect(line).toBe('▁ █  ▅');
    expect(Array.from(line)).toHaveLength(6);
    expect(sparkline([null, null])).toBe('  ');
  });
});
