import { describe, expect, it } from 'vitest';
import { outsideRequestWindow } from '../../../src/slack/request-window.js';

const NOW_MS = Date.parse('2026-12-03T08:00:00Z');
const stamp = (offsetS: number) => String(NOW_MS / 1000 + offsetS);

describe('outsideRequestWindow', () => {
  it('accepts stamps up to 5 minutes either side of the clock', () => {
    for (const offset of [-300, -299, 0, 299, 300]) expect(outsideRequestWindow(stamp(offset), NOW_MS), `offset ${offset}`).toBeUndefined();
  });

  it('refuses an older stamp as stale and a later one as from the future, however far', () => {
    expect(outsideRequestWindow(stamp(-301), NOW_MS)).toBe('stale');
    expect(outsideRequestWindow(stamp(-600), NOW_MS)).toBe('stale');
    expect(outsideRequestWindow(stamp(301), NOW_MS)).toBe('future');
    expect(outsideRequestWindow(stamp(3600), NOW_MS)).toBe('future');
    expect(outsideRequestWindow(stamp(10 * 365 * 86_400), NOW_MS)).toBe('future');
  });

  it('leaves a missing or unreadable stamp to the signature check', () => {
    for (const header of [undefined, '', ' ', 'soon', ['1', '2']]) expect(outsideRequestWindow(header, NOW_MS)).toBeUndefined();
  });
});
