import { describe, expect, it } from 'vitest';
import { longestGapSeconds } from '../../../src/jobs/cadence.js';

describe('longestGapSeconds', () => {
  it('is the schedule’s interval for a regular schedule', () => {
    expect(longestGapSeconds('*/5 * * * *', 'UTC')).toBe(300);
    expect(longestGapSeconds('0 * * * *', 'Europe/Berlin')).toBe(3_600);
    expect(longestGapSeconds('*/30 * * * * *', 'UTC')).toBe(30);
  });

  it('is the longest gap for an irregular one (a weekday schedule waits over the weekend)', () => {
    expect(longestGapSeconds('0 9 * * 1-5', 'UTC')).toBe(3 * 86_400);
  });

  it('is null for an expression that is not cron', () => {
    expect(longestGapSeconds('every five minutes', 'UTC')).toBeNull();
  });
});
