import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestSlot, nextDigestRun, parseLocalTime, previousDigestRun, ZoneClock } from '../../../src/lib/schedule.js';

const iso = (d: Date): string => d.toISOString();
const next = (now: string, time: string, zone: string): string => iso(nextDigestRun(new Date(now), time, zone));

describe('nextDigestRun', () => {
  it.each([
    // [zone, now (UTC), time, expected (UTC), why]
    ['UTC', '2026-03-09T08:59:59Z', '09:00', '2026-03-09T09:00:00.000Z', 'later today'],
    ['UTC', '2026-03-09T09:00:00Z', '09:00', '2026-03-10T09:00:00.000Z', 'strictly after now: exactly at the time means tomorrow'],
    ['UTC', '2026-12-31T23:30:00Z', '00:15', '2027-01-01T00:15:00.000Z', 'across a year end'],
    ['Asia/Kolkata', '2026-03-08T03:00:00Z', '09:00', '2026-03-08T03:30:00.000Z', 'a zone without daylight saving, half-hour offset'],
    ['Asia/Kolkata', '2026-11-01T04:00:00Z', '09:00', '2026-11-02T03:30:00.000Z', 'no DST: the same UTC instant every day'],
    // America/New_York: spring forward 2026-03-08 02:00 EST → 03:00 EDT; fall back 2026-11-01 02:00 EDT → 01:00 EST.
    ['America/New_York', '2026-03-07T15:00:00Z', '09:00', '2026-03-08T13:00:00.000Z', 'the morning after spring-forward is EDT (UTC-4)'],
    ['America/New_York', '2026-03-07T13:00:00Z', '09:00', '2026-03-07T14:00:00.000Z', 'the day before is EST (UTC-5)'],
    ['America/New_York', '2026-03-08T05:00:00Z', '02:30', '2026-03-08T07:00:00.000Z', '02:30 does not exist: run at 03:00 EDT, the first instant after the gap'],
    ['America/New_York', '2026-03-08T07:00:00Z', '02:30', '2026-03-09T06:30:00.000Z', 'after the skipped run, the next day at 02:30 EDT'],
    ['America/New_York', '2026-11-01T04:00:00Z', '01:30', '2026-11-01T05:30:00.000Z', '01:30 happens twice: run at the first (EDT)'],
    ['America/New_York', '2026-11-01T05:45:00Z', '01:30', '2026-11-02T06:30:00.000Z', 'between the two 01:30s: not again until tomorrow'],
    ['America/New_York', '2026-10-31T14:00:00Z', '09:00', '2026-11-01T14:00:00.000Z', 'the morning after fall-back is EST (UTC-5)'],
    // Europe/London: spring forward 2026-03-29 01:00 GMT → 02:00 BST; fall back 2026-10-25 02:00 BST → 01:00 GMT.
    ['Europe/London', '2026-03-28T10:00:00Z', '09:00', '2026-03-29T08:00:00.000Z', 'BST begins overnight: 09:00 BST is 08:00 UTC'],
    ['Europe/London', '2026-03-29T00:30:00Z', '01:15', '2026-03-29T01:00:00.000Z', '01:15 is skipped: run at 02:00 BST'],
    ['Europe/London', '2026-10-25T00:00:00Z', '01:30', '2026-10-25T00:30:00.000Z', '01:30 repeats: the first is BST'],
    ['Europe/London', '2026-10-25T00:31:00Z', '01:30', '2026-10-26T01:30:00.000Z', 'after the first 01:30 the repeat is not a run'],
    ['Europe/London', '2026-10-24T09:00:00Z', '09:00', '2026-10-25T09:00:00.000Z', 'GMT again after fall-back'],
    // The southern hemisphere: Sydney springs forward on 2026-10-04 02:00 AEST → 03:00 AEDT.
    ['Australia/Sydney', '2026-10-03T15:00:00Z', '02:30', '2026-10-03T16:00:00.000Z', 'skipped in Sydney: 03:00 AEDT'],
  ])('%s, now %s, at %s → %s (%s)', (zone, now, time, expected) => {
    expect(next(now, time, zone)).toBe(expected);
  });

  it('is always after now, within about a day, and lands on the local time unless it was skipped', () => {
    const zones = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (nowMs, zone, hour, minute) => {
          const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const run = nextDigestRun(new Date(nowMs), time, zone).getTime();
          expect(run).toBeGreaterThan(nowMs);
          expect(run - nowMs).toBeLessThanOrEqual(26 * 3600_000);
          const wall = new Date(new ZoneClock(zone).wallMs(run));
          const wallMinutes = wall.getUTCHours() * 60 + wall.getUTCMinutes();
          const wanted = hour * 60 + minute;
          // On the local time, or just after it when a gap (at most an hour here, 30 min on Lord Howe) skipped it.
          const late = (wallMinutes - wanted + 1440) % 1440;
          expect(late).toBeLessThanOrEqual(60);
          // Its slot is the local day it runs on, and the run before the next one is this one.
          expect(previousDigestRun(new Date(run), time, zone).getTime()).toBe(run);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('digestSlot', () => {
  it('names the local day of the run that is due, the same for every tick of that day', () => {
    const zone = 'America/New_York';
    // 09:00 EDT on 2026-03-09 is 13:00 UTC.
    expect(digestSlot(new Date('2026-03-09T13:00:00Z'), '09:00', zone)).toBe('2026-03-09');
    expect(digestSlot(new Date('2026-03-09T13:00:59Z'), '09:00', zone)).toBe('2026-03-09');
    expect(digestSlot(new Date('2026-03-10T03:59:00Z'), '09:00', zone)).toBe('2026-03-09'); // 23:59 local
    expect(digestSlot(new Date('2026-03-09T12:59:59Z'), '09:00', zone)).toBe('2026-03-08'); // before today's run
  });

  it('gives both occurrences of a repeated local time one slot, so fall-back runs once', () => {
    const first = digestSlot(new Date('2026-11-01T05:30:00Z'), '01:30', 'America/New_York');
    const second = digestSlot(new Date('2026-11-01T06:30:00Z'), '01:30', 'America/New_York');
    expect(first).toBe('2026-11-01');
    expect(second).toBe(first);
  });

  it('gives a skipped local time the slot of its own day', () => {
    expect(digestSlot(new Date('2026-03-08T07:00:00Z'), '02:30', 'America/New_York')).toBe('2026-03-08');
    expect(digestSlot(new Date('2026-03-08T06:59:59Z'), '02:30', 'America/New_York')).toBe('2026-03-07');
  });
});

describe('parseLocalTime', () => {
  it('reads HH:MM and refuses anything else', () => {
    expect(parseLocalTime('07:05')).toEqual({ hour: 7, minute: 5 });
    expect(() => parseLocalTime('7:05')).toThrow(/HH:MM/);
    expect(() => parseLocalTime('24:00')).toThrow(/HH:MM/);
  });
});
