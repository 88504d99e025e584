import { describe, expect, it } from 'vitest';
import { busyDelay, DELIVERY_ATTEMPTS, DELIVERY_JOB_OPTIONS, deliveryBackoff, deliverySchedule } from '../../../src/notify/delivery-schedule.js';
import { TeamsDeliveryError } from '../../../src/notify/teams-webhook.js';

describe('the delivery schedule', () => {
  it('is bounded: 30 attempts, waits from 0.5 s doubling to a minute, about 23 minutes in all', () => {
    const schedule = deliverySchedule();
    expect(schedule).toHaveLength(DELIVERY_ATTEMPTS - 1);
    expect(schedule.slice(0, 8)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000]);
    expect(Math.max(...schedule)).toBe(60_000);
    expect(schedule.reduce((a, b) => a + b, 0)).toBe(63_500 + 22 * 60_000);
  });

  it('is what BullMQ computes for a failed attempt (it passes attemptsMade counting the one that just failed)', () => {
    expect([1, 2, 3, 8, 29].map((n) => deliveryBackoff(n, 'delivery', new Error('boom')))).toEqual([500, 1_000, 2_000, 60_000, 60_000]);
  });

  it('honours a Retry-After from Teams (ms) and from Slack (seconds)', () => {
    expect(deliveryBackoff(1, 'delivery', new TeamsDeliveryError('429', 429, true, 7_000))).toBe(7_000);
    expect(deliveryBackoff(1, 'delivery', Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 3 }))).toBe(3_000);
  });

  it('waits on a busy alert from 0.3 s, doubling, at most 30 s', () => {
    expect([0, 1, 2, 6, 7, 50].map(busyDelay)).toEqual([300, 600, 1_200, 19_200, 30_000, 30_000]);
  });

  it('is the options every delivery job carries', () => {
    expect(DELIVERY_JOB_OPTIONS).toMatchObject({ attempts: DELIVERY_ATTEMPTS, backoff: { type: 'delivery' } });
  });
});
