import { describe, expect, it } from 'vitest';
import { deliveryRetryDelay } from '../../../src/jobs/backoff.js';

describe('deliveryRetryDelay', () => {
  it('backs a failed send off from half a second to a minute', () => {
    expect([0, 1, 2, 6, 7, 50].map((n) => deliveryRetryDelay(n, false))).toEqual([500, 1_000, 2_000, 32_000, 60_000, 60_000]);
  });

  it('tries a busy alert again soon, then every 30 s at most: 500 attempts outlast a holder for hours', () => {
    expect([0, 1, 2, 6, 7, 50].map((n) => deliveryRetryDelay(n, true))).toEqual([300, 600, 1_200, 19_200, 30_000, 30_000]);
    const total = Array.from({ length: 500 }, (_, n) => deliveryRetryDelay(n, true)).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(3 * 3_600_000);
  });
});
