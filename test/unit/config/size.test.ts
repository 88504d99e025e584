import { describe, expect, it } from 'vitest';
import { parseSize } from '../../../src/config/size.js';

describe('parseSize', () => {
  it('reads decimal and binary units', () => {
    expect(parseSize('500GB')).toBe(500e9);
    expect(parseSize('1.5 TiB')).toBe(1.5 * 2 ** 40);
    expect(parseSize('1024')).toBe(1024);
    expect(parseSize(42)).toBe(42);
  });
  it('rejects what is not a size', () => {
    expect(parseSize('lots')).toBeNull();
    expect(parseSize('5 zettabytes')).toBeNull();
    expect(parseSize(-1)).toBeNull();
  });
});
